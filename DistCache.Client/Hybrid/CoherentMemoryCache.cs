using System.Diagnostics;
using System.Text;
using DistCache.Client.NearCache;
using DistCache.Protocol;
using Microsoft.Extensions.Caching.Memory;

namespace DistCache.Client.Hybrid;

/// <summary>HybridCache's first level, kept coherent with the cluster by the client's near cache: an entry is dropped
/// when its key changes anywhere (the near cache's <see cref="NearCacheStore.Dropped"/>), everything when the near cache
/// drops everything, nothing is served while the near cache cannot prove it has every invalidation older than
/// <see cref="NearCacheOptions.MaxStaleness"/>, and a value read from DistCache while its key was invalidated is not
/// kept (<see cref="L1FillGuard"/>). Its entries live in a MemoryCache of their own, so the application's shared
/// IMemoryCache keeps its usual behaviour.</summary>
internal sealed class CoherentMemoryCache : IMemoryCache
{
    private readonly MemoryCache _entries;
    private readonly NearCacheStore _near;
    private readonly L1FillGuard _guard;

    public CoherentMemoryCache(MemoryCache entries, NearCacheStore near, L1FillGuard guard)
    {
        _entries = entries;
        _near = near;
        _guard = guard;
        _near.Dropped += OnDropped;
    }

    /// <summary>Re-reads HybridCache's tag invalidation times when they change (null: tags stay local).</summary>
    public TagInvalidationRelay? Tags { get; set; }

    /// <summary>Entries held, served or not (for tests).</summary>
    public int Count => _entries.Count;

    public bool TryGetValue(object key, out object? value)
    {
        if (!_near.Serving(Stopwatch.GetTimestamp()))
        {
            value = null;
            return false;
        }
        return _entries.TryGetValue(key, out value);
    }

    public ICacheEntry CreateEntry(object key) => new PendingL1Entry(key, this);

    public void Remove(object key) => _entries.Remove(key);

    internal void Commit(PendingL1Entry pending)
    {
        // Keys that are not strings are not HybridCache's: nothing in DistCache invalidates them.
        var key = pending.Key as string;
        if (key is not null && !_guard.MayKeep(key))
        {
            pending.Refuse();
            _guard.Filled(key);
            return;
        }
        using (var entry = _entries.CreateEntry(pending.Key))
            pending.CopyTo(entry);
        if (key is null)
            return;
        // An invalidation that came between the check and the commit may have missed the entry: OnDropped marks
        // the guard before it removes, so looking again here catches it.
        if (!_guard.MayKeep(key))
            _entries.Remove(key);
        _guard.Filled(key);
    }

    private void OnDropped(IReadOnlyList<CacheKey>? keys)
    {
        if (keys is null)
        {
            DropAll();
            if (Tags?.OnAllDropped() is { } tagsRead)
                _ = tagsRead.ContinueWith(_ => DropAll(), TaskScheduler.Default);
            return;
        }
        var names = new string[keys.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = Encoding.UTF8.GetString(keys[i].AsSpan());
        _guard.Invalidated(names);
        foreach (var name in names)
            _entries.Remove(name);
        // HybridCache stamps a first-level entry with the time its read began, and checks a tag whose time is still
        // being read against that stamp, not against the value's own time. So a read that began after another
        // instance's RemoveByTagAsync, and checked the tag before its new time was known here, keeps the old value
        // stamped later than that time: valid for good. Once the tag's time is known, every entry and every fill
        // in flight goes; a read from then on compares the value's own time with it.
        if (Tags?.OnKeysChanged(names) is { } tagRead)
            _ = tagRead.ContinueWith(_ => DropAll(), TaskScheduler.Default);
    }

    private void DropAll()
    {
        _guard.DroppedAll();
        _entries.Clear();
    }

    public void Dispose()
    {
        _near.Dropped -= OnDropped;
        _entries.Dispose();
    }
}
