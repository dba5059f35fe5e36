using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The keys of one partition and what is tracked across them whatever type of value they hold:
/// the entries, the expiry index, the recency list allkeys-lru needs, the sliding windows, the bytes held,
/// the evictions made and the next entry version. It decides nothing: it changes only when
/// <see cref="PartitionState.Apply"/> tells it to, except that a lookup drops an entry whose time has passed
/// (Redis's lazy expiry). Owned by a single actor, so plain collections are safe without locks.</summary>
public sealed class EntryTable
{
    private readonly Dictionary<CacheKey, CacheEntry> _entries = new();
    private readonly SortedSet<(long At, CacheKey Key)> _expiries = new();
    private readonly LinkedList<CacheKey> _lru = new(); // most recently used first
    // Only allkeys-lru needs the recency list; without it a key costs no list node and no lookup slot.
    private readonly Dictionary<CacheKey, LinkedListNode<CacheKey>>? _lruNodes;
    // Only keys with a sliding expiry are here, so the others pay nothing for the feature.
    private readonly Dictionary<CacheKey, SlidingWindow> _sliding = new();
    private readonly TimeProvider _clock;
    private readonly EvictionPolicy _policy;

    public EntryTable(TimeProvider clock, EvictionPolicy policy)
    {
        _clock = clock;
        _policy = policy;
        if (policy == EvictionPolicy.AllKeysLru)
            _lruNodes = new Dictionary<CacheKey, LinkedListNode<CacheKey>>();
    }

    /// <summary>Entries held, including expired ones not yet collected.</summary>
    public int Count => _entries.Count;

    /// <summary>Entries with an expiry, including expired ones not yet collected.</summary>
    public int ExpiringCount => _expiries.Count;

    public long UsedBytes { get; private set; }

    public long Evictions { get; private set; }

    /// <summary>Keys removed since a WATCH of a missing key (see <see cref="RemovedKeys"/>).</summary>
    public RemovedKeys Removed { get; } = new();

    /// <summary>Called with each key removed because its time had passed (keyspace notifications, invalidations).</summary>
    public Action<CacheKey>? Expired { get; set; }

    /// <summary>The version the next <see cref="Put"/> gives its entry (CAS answers it before the put is applied).</summary>
    public long NextVersion { get; private set; } = 1;

    public long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Every entry held, expired ones not yet collected included.</summary>
    public IReadOnlyDictionary<CacheKey, CacheEntry> Entries => _entries;

    /// <summary>The keys whose expiry slides, with their windows.</summary>
    public IReadOnlyDictionary<CacheKey, SlidingWindow> Windows => _sliding;

    /// <summary>The entry if it exists and has not expired; lazy expiry drops it otherwise.</summary>
    public CacheEntry? Live(CacheKey key)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (!entry.IsExpired(Now))
            return entry;
        Remove(key);
        Expired?.Invoke(key);
        return null;
    }

    /// <summary>A read: like <see cref="Live"/>, and the entry becomes the most recently used.</summary>
    public CacheEntry? Touch(CacheKey key)
    {
        var entry = Live(key);
        if (entry is not null)
            MarkUsed(key);
        return entry;
    }

    public bool TryGetWindow(CacheKey key, out SlidingWindow window)
    {
        window = default;
        return _sliding.Count > 0 && _sliding.TryGetValue(key, out window);
    }

    /// <summary>The bytes the key's entry is counted as, expired or not; 0 when there is none.</summary>
    public long SizeOf(CacheKey key) => _entries.TryGetValue(key, out var entry) ? entry.SizeWith(key) : 0;

    /// <summary>The key now holds <paramref name="value"/>, with a new version, no sliding window and the
    /// given expiry (Unix ms, 0 for never); it becomes the most recently used.</summary>
    public void Put(CacheKey key, CacheValue value, long expiresAt)
    {
        ref var entry = ref Replace(key, expiresAt);
        entry.Kind = value.Kind;
        entry.Data = value.Data;
        entry.Version = NextVersion++;
        UsedBytes += entry.SizeWith(key);
    }

    /// <summary>As <see cref="Put(CacheKey, CacheValue, long)"/>, for a key that now holds <paramref name="hash"/>.</summary>
    public void Put(CacheKey key, HashValue hash, long expiresAt)
    {
        ref var entry = ref Replace(key, expiresAt);
        entry.Hash = hash;
        entry.Version = NextVersion++;
        UsedBytes += entry.SizeWith(key);
    }

    /// <summary>As <see cref="Put(CacheKey, CacheValue, long)"/>, for a key that now holds <paramref name="list"/>.</summary>
    public void Put(CacheKey key, ListValue list, long expiresAt)
    {
        ref var entry = ref Replace(key, expiresAt);
        entry.List = list;
        entry.Version = NextVersion++;
        UsedBytes += entry.SizeWith(key);
    }

    /// <summary>As <see cref="Put(CacheKey, CacheValue, long)"/>, for a key that now holds <paramref name="set"/>.</summary>
    public void Put(CacheKey key, SortedSetValue set, long expiresAt)
    {
        ref var entry = ref Replace(key, expiresAt);
        entry.SortedSet = set;
        entry.Version = NextVersion++;
        UsedBytes += entry.SizeWith(key);
    }

    /// <summary>As <see cref="Put(CacheKey, CacheValue, long)"/>, for a key that now holds <paramref name="set"/>.</summary>
    public void Put(CacheKey key, MemberSet set, long expiresAt)
    {
        ref var entry = ref Replace(key, expiresAt);
        entry.Set = set;
        entry.Version = NextVersion++;
        UsedBytes += entry.SizeWith(key);
    }

    /// <summary>Starts an in-place change of the key's value (a collection's elements), the key keeping its
    /// expiry; a missing key gets an entry without a value, which the caller must give one. The caller
    /// changes the entry through the reference, then calls <see cref="EndEdit"/> before anything else
    /// touches the table.</summary>
    public ref CacheEntry BeginEdit(CacheKey key) => ref Uncounted(key);

    /// <summary>Ends <see cref="BeginEdit"/>: the entry gets a new version and is counted again.</summary>
    public void EndEdit(CacheKey key, ref CacheEntry entry)
    {
        entry.Version = NextVersion++;
        UsedBytes += entry.SizeWith(key);
    }

    // The key's slot (added if missing), no longer counted in UsedBytes and the most recently used.
    private ref CacheEntry Uncounted(CacheKey key)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var existed);
        if (existed)
        {
            UsedBytes -= entry.SizeWith(key);
            MarkUsed(key);
        }
        else if (_lruNodes is not null)
        {
            _lruNodes[key] = _lru.AddFirst(key);
        }
        return ref entry;
    }

    // The slot for a new value of the key: the old value is no longer counted, the key is the most
    // recently used, has the given expiry and no sliding window.
    private ref CacheEntry Replace(CacheKey key, long expiresAt)
    {
        ref var entry = ref Uncounted(key);
        SetExpiry(key, ref entry, expiresAt);
        if (_sliding.Count > 0)
            _sliding.Remove(key);
        return ref entry;
    }

    /// <summary>Gives a key the version a snapshot recorded for it (the put that restored it took a new one).</summary>
    public void RestoreVersion(CacheKey key, long version)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
        if (!Unsafe.IsNullRef(ref entry))
            entry.Version = version;
    }

    /// <summary>Restores the counters a snapshot recorded; versions never go back.</summary>
    public void RestoreCounters(long nextVersion, long evictions)
    {
        NextVersion = Math.Max(NextVersion, nextVersion);
        Evictions = evictions;
    }

    /// <summary>Drops the key; an eviction is counted as one. False when the key was not there.</summary>
    public bool Remove(CacheKey key, bool evicted = false)
    {
        if (!_entries.Remove(key, out var entry))
            return false;
        if (entry.ExpiresAt != 0)
            _expiries.Remove((entry.ExpiresAt, key));
        if (_lruNodes is not null && _lruNodes.Remove(key, out var node))
            _lru.Remove(node);
        if (_sliding.Count > 0)
            _sliding.Remove(key);
        UsedBytes -= entry.SizeWith(key);
        if (evicted)
            Evictions++;
        if (Removed.Recording)
            Removed.Removed(key.GetHashCode(), NextVersion, Now);
        return true;
    }

    /// <summary>The key's expiry (Unix ms, 0 for never) is set as given and no longer slides. With
    /// <paramref name="newVersion"/> the key gets a new version: Redis's WATCH counts a change of the time to
    /// live as a change of the key (EXPIRE, PERSIST and GETEX call signalModifiedKey).</summary>
    public void SetExpiry(CacheKey key, long expiresAt, bool newVersion = true)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
        if (!Unsafe.IsNullRef(ref entry))
        {
            SetExpiry(key, ref entry, expiresAt);
            if (newVersion)
                entry.Version = NextVersion++;
        }
        if (_sliding.Count > 0)
            _sliding.Remove(key);
    }

    /// <summary>The key's expiry slides from now on; nothing happens when the key is not there.</summary>
    public void SetWindow(CacheKey key, SlidingWindow window)
    {
        if (_entries.ContainsKey(key))
            _sliding[key] = window;
    }

    /// <summary>FLUSHALL for this partition. The eviction count stays: it counts what happened.</summary>
    public void Clear()
    {
        Removed.RemovedAll(NextVersion);
        _entries.Clear();
        _expiries.Clear();
        _lru.Clear();
        _lruNodes?.Clear();
        _sliding.Clear();
        UsedBytes = 0;
    }

    /// <summary>Active expiry: drops up to <paramref name="max"/> entries whose time has passed, soonest first.</summary>
    public int RemoveExpired(int max = int.MaxValue)
    {
        var now = Now;
        var removed = 0;
        while (removed < max && _expiries.Count > 0 && _expiries.Min.At <= now)
        {
            var key = _expiries.Min.Key;
            Remove(key);
            Expired?.Invoke(key);
            removed++;
        }
        return removed;
    }

    /// <summary>Keys whose eviction frees at least <paramref name="needed"/> bytes, in the order the policy
    /// picks them (least recently used, or soonest to expire), never one of <paramref name="spared"/>; null
    /// when the policy evicts nothing or cannot free enough.</summary>
    public List<CacheKey>? KeysToEvict(long needed, IReadOnlySet<CacheKey> spared)
    {
        if (_policy == EvictionPolicy.NoEviction)
            return null;
        IEnumerable<CacheKey> candidates = _policy == EvictionPolicy.AllKeysLru
            ? LeastRecentlyUsed()
            : _expiries.Select(e => e.Key);
        var keys = new List<CacheKey>();
        long freed = 0;
        foreach (var key in candidates)
        {
            if (freed >= needed)
                break;
            if (spared.Contains(key))
                continue;
            keys.Add(key);
            freed += _entries[key].SizeWith(key);
        }
        return freed >= needed ? keys : null;
    }

    private IEnumerable<CacheKey> LeastRecentlyUsed()
    {
        for (var node = _lru.Last; node is not null; node = node.Previous)
            yield return node.Value;
    }

    private void SetExpiry(CacheKey key, ref CacheEntry entry, long expiresAt)
    {
        if (entry.ExpiresAt != 0)
            _expiries.Remove((entry.ExpiresAt, key));
        entry.ExpiresAt = expiresAt;
        if (expiresAt != 0)
            _expiries.Add((expiresAt, key));
    }

    private void MarkUsed(CacheKey key)
    {
        if (_lruNodes is not null && _lruNodes.TryGetValue(key, out var node) && node.Previous is not null)
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
        }
    }
}
