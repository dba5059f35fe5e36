namespace DistCache.Actors.Notifications;

/// <summary>The classes of notify-keyspace-events, with Redis's bit values (server.h, NOTIFY_*), so a
/// flag set reads the same in both. <see cref="Keyspace"/> (K) and <see cref="Keyevent"/> (E) say which
/// channels carry an event; the others which events there are.</summary>
[Flags]
public enum KeyspaceEventClasses
{
    None = 0,
    /// <summary>K: <c>__keyspace@0__:&lt;key&gt;</c>, the event's name as message.</summary>
    Keyspace = 1 << 0,
    /// <summary>E: <c>__keyevent@0__:&lt;event&gt;</c>, the key as message.</summary>
    Keyevent = 1 << 1,
    /// <summary>g: DEL, EXPIRE, RENAME, COPY, PERSIST…</summary>
    Generic = 1 << 2,
    /// <summary>$: string commands.</summary>
    String = 1 << 3,
    /// <summary>l: list commands.</summary>
    List = 1 << 4,
    /// <summary>s: set commands.</summary>
    Set = 1 << 5,
    /// <summary>h: hash commands.</summary>
    Hash = 1 << 6,
    /// <summary>z: sorted set commands.</summary>
    SortedSet = 1 << 7,
    /// <summary>x: a key removed because its time had passed.</summary>
    Expired = 1 << 8,
    /// <summary>e: a key evicted for the memory limit.</summary>
    Evicted = 1 << 9,
    /// <summary>t: stream commands (DistCache has no streams: accepted, never emitted).</summary>
    Stream = 1 << 10,
    /// <summary>m: a read of a missing key (accepted, never emitted: partitions report writes only).</summary>
    KeyMiss = 1 << 11,
    /// <summary>d: module key types (accepted, never emitted: DistCache has no modules).</summary>
    Module = 1 << 12,
    /// <summary>n: a key created (accepted, not emitted yet: a write's changes do not say whether its key existed).</summary>
    New = 1 << 13,
    /// <summary>A: Redis's NOTIFY_ALL, "g$lshzxetd" (neither m nor n).</summary>
    All = Generic | String | List | Set | Hash | SortedSet | Expired | Evicted | Stream | Module,
}
