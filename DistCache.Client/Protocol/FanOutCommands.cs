namespace DistCache.Protocol;

/// <summary>A request the gateway splits over partitions and answers once every part has replied.</summary>
public interface IFanOutCommand : IClientCommand;

/// <summary>MGET: the values in the order of <see cref="Keys"/> (null where missing). <see cref="Local"/>
/// marks the share one gateway hands another: it goes to the partitions, not to other nodes again.</summary>
public sealed record MultiGet(CacheKey[] Keys, bool Local = false) : IFanOutCommand;

/// <summary>MSET: every entry is stored; each partition's share is one journaled write.</summary>
public sealed record MultiSet(KeyedValue[] Entries, bool Local = false) : IFanOutCommand, IWriteCommand;

/// <summary>DBSIZE: keys in the whole cache (a <see cref="CounterValue"/>). INFO's keyspace asks
/// <see cref="WithExpiring"/>: a <see cref="KeyCount"/>, keys and how many of them have an expiry.</summary>
public sealed record CountKeys(bool WithExpires = false) : IFanOutCommand
{
    public static readonly CountKeys Instance = new();

    public static readonly CountKeys WithExpiring = new(true);
}

/// <summary>FLUSHALL: every partition journals that it is empty.</summary>
public sealed record FlushAll : IFanOutCommand, IWriteCommand
{
    public static readonly FlushAll Instance = new();
}

/// <summary>One page of SCAN. <see cref="Cursor"/> is opaque to clients; "0" starts and ends a scan. With
/// <see cref="Type"/> (TYPE's name: "string", "hash") only keys holding that type are listed.</summary>
public sealed record ScanKeys(string Cursor, int Count, string? Type = null) : IFanOutCommand;
