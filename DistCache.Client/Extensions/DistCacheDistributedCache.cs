using System.Buffers;
using DistCache.Protocol;
using Microsoft.Extensions.Caching.Distributed;

namespace DistCache.Client.Extensions;

/// <summary><see cref="IDistributedCache"/> and <see cref="IBufferDistributedCache"/> over DistCache, so
/// ASP.NET Core's session and output caching, and HybridCache as its second level, can use it. Absolute
/// and sliding expiration follow the interface's documentation: a read slides the TTL, never past the
/// absolute expiry. The sliding window is stored with the key on the server, so a read (and a refresh)
/// slides it in the same round trip.</summary>
public sealed class DistCacheDistributedCache : IBufferDistributedCache
{
    private readonly DistCacheClient _client;
    private readonly TimeProvider _clock;

    public DistCacheDistributedCache(DistCacheClient client, TimeProvider? clock = null)
    {
        _client = client;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Told of every read as it starts, when HybridCache's first level is kept coherent (see <see cref="Hybrid.L1FillGuard"/>).</summary>
    internal Hybrid.L1FillGuard? FillGuard { get; init; }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var stored = await ReadAsync(key, token).ConfigureAwait(false);
        return stored?[DistributedCacheEntry.HeaderSize..];
    }

    public bool TryGet(string key, IBufferWriter<byte> destination) => TryGetAsync(key, destination).AsTask().GetAwaiter().GetResult();

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        var stored = await ReadAsync(key, token).ConfigureAwait(false);
        if (stored is null)
            return false;
        destination.Write(stored.AsSpan(DistributedCacheEntry.HeaderSize));
        return true;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync(key, value, options, token);
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) =>
        SetAsync(key, value, options).AsTask().GetAwaiter().GetResult();

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        new(WriteAsync(key, value.ToArray(), options, token));

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default) => ReadAsync(key, token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) => _client.DeleteAsync(key).WaitAsync(token);

    private async Task WriteAsync(string key, byte[] payload, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = _clock.GetUtcNow();
        long absolute = 0;
        if (options.AbsoluteExpiration is { } at)
        {
            if (at <= now)
                throw new ArgumentOutOfRangeException(nameof(DistributedCacheEntryOptions.AbsoluteExpiration), at, "The absolute expiration value must be in the future.");
            absolute = at.ToUnixTimeMilliseconds();
        }
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            if (relative <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(DistributedCacheEntryOptions.AbsoluteExpirationRelativeToNow), relative, "The relative expiration value must be positive.");
            var relativeAt = (now + relative).ToUnixTimeMilliseconds();
            absolute = absolute == 0 ? relativeAt : Math.Min(absolute, relativeAt);
        }
        var sliding = options.SlidingExpiration is { } slide ? (long)slide.TotalMilliseconds : 0;
        if (options.SlidingExpiration is { } s && s <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(DistributedCacheEntryOptions.SlidingExpiration), s, "The sliding expiration value must be positive.");

        // Relative to now on the application's clock, so the server's clock need not agree with it.
        TimeSpan? untilAbsolute = absolute > 0 ? TimeSpan.FromMilliseconds(absolute - now.ToUnixTimeMilliseconds()) : null;
        var expiry = sliding > 0 ? Expiry.Sliding(TimeSpan.FromMilliseconds(sliding), untilAbsolute)
            : Expiry.From(untilAbsolute);
        await _client.SetAsync(key, DistributedCacheEntry.Encode(payload, absolute, sliding), expiry).WaitAsync(token).ConfigureAwait(false);
    }

    /// <summary>The stored bytes (header included); the server slides the TTL of a sliding entry as it reads.
    /// The absolute expiry is checked against the application's clock (the <see cref="TimeProvider"/> it
    /// registered), as Microsoft's SQL Server provider does: the server's TTL removes the key on the
    /// server's clock, and a read on a clock that is ahead sees it gone already.</summary>
    private async Task<byte[]?> ReadAsync(string key, CancellationToken token)
    {
        FillGuard?.ReadStarted(key, System.Diagnostics.Stopwatch.GetTimestamp());
        var raw = await _client.GetRawAsync(key).WaitAsync(token).ConfigureAwait(false);
        if (raw is null || raw.Kind != ValueKind.Bytes || !DistributedCacheEntry.TryDecode(raw.Data, out var absolute, out var sliding))
            return null;
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        return absolute > 0 && now >= absolute ? null : raw.Data;
    }
}
