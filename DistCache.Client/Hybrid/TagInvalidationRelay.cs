using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Caching.Hybrid;

namespace DistCache.Client.Hybrid;

/// <summary>Makes HybridCache's <c>RemoveByTagAsync</c> reach the other application instances. Microsoft's
/// DefaultHybridCache stores a tag's invalidation time in its second level (key <c>__MSFT_HCT__</c> + tag) but reads it
/// once per tag and keeps it for good, so another instance keeps serving entries of an invalidated tag, from its first
/// level and from the second alike. When DistCache says such a key changed, this reads the time again (the larger of
/// the known and the read time wins, so this instance's own invalidation, in flight, is never undone); while the read
/// is in flight HybridCache treats the tag's entries as invalid. It relies on DefaultHybridCache's internals
/// (<c>SafeReadTagInvalidationAsync</c>, <c>DebugInvalidateTag</c>, <c>_tagInvalidationTimes</c>,
/// <c>_globalInvalidateTimestamp</c>); <see cref="TryBind"/> answers null when they change, and tags stay local.</summary>
internal sealed class TagInvalidationRelay
{
    /// <summary>DefaultHybridCache's second-level key prefix for a tag's invalidation time.</summary>
    public const string TagKeyPrefix = "__MSFT_HCT__";

    /// <summary>The tag of every entry: HybridCache's RemoveByTagAsync("*") invalidates everything.</summary>
    private const string Wildcard = "*";

    private readonly Func<string, Task<long>> _read;
    private readonly Action<string, Task<long>> _set;
    private readonly ConcurrentDictionary<string, Task<long>> _known;
    private readonly Func<Task<long>> _global;

    private TagInvalidationRelay(Func<string, Task<long>> read, Action<string, Task<long>> set,
        ConcurrentDictionary<string, Task<long>> known, Func<Task<long>> global)
    {
        _read = read;
        _set = set;
        _known = known;
        _global = global;
    }

    public static TagInvalidationRelay? TryBind(HybridCache cache)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var type = cache.GetType();
        var read = type.GetMethod("SafeReadTagInvalidationAsync", Instance, [typeof(string)]);
        var set = type.GetMethod("DebugInvalidateTag", Instance, [typeof(string), typeof(Task<long>)]);
        var known = type.GetField("_tagInvalidationTimes", Instance)?.GetValue(cache) as ConcurrentDictionary<string, Task<long>>;
        var global = type.GetField("_globalInvalidateTimestamp", Instance);
        if (read?.ReturnType != typeof(Task<long>) || set is null || known is null || global?.FieldType != typeof(Task<long>))
            return null;
        return new TagInvalidationRelay(
            read.CreateDelegate<Func<string, Task<long>>>(cache),
            set.CreateDelegate<Action<string, Task<long>>>(cache),
            known,
            () => (Task<long>)global.GetValue(cache)!);
    }

    /// <summary>Second-level keys changed: the tags among them are read again. Answers when their times are known
    /// (null: none of the keys is a tag).</summary>
    public Task? OnKeysChanged(IEnumerable<string> keys)
    {
        List<Task>? reads = null;
        foreach (var key in keys)
            if (key.StartsWith(TagKeyPrefix, StringComparison.Ordinal))
                (reads ??= []).Add(Refresh(key[TagKeyPrefix.Length..]));
        return reads is null ? null : Task.WhenAll(reads);
    }

    /// <summary>Invalidations may have been lost: every tag this instance knows is read again. Answers when their
    /// times are known.</summary>
    public Task OnAllDropped()
    {
        var reads = new List<Task> { Refresh(Wildcard) };
        foreach (var tag in _known.Keys)
            reads.Add(Refresh(tag));
        return Task.WhenAll(reads);
    }

    private Task Refresh(string tag)
    {
        var known = tag == Wildcard ? _global() : _known.GetValueOrDefault(tag);
        var time = Later(known, _read(tag));
        _set(tag, time);
        return time;
    }

    private static async Task<long> Later(Task<long>? known, Task<long> read)
    {
        var stored = await read.ConfigureAwait(false);
        if (known is null)
            return stored;
        try
        {
            return Math.Max(stored, await known.ConfigureAwait(false));
        }
        catch (Exception)
        {
            return stored;
        }
    }
}
