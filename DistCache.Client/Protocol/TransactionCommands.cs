namespace DistCache.Protocol;

/// <summary>MULTI … EXEC: <see cref="Commands"/> run one after another in the one partition that owns all their
/// keys, with nothing in between, and are journaled as one event with the transaction's request id (all or
/// nothing after a crash, once only on a retry). Each command's reply takes its slot of the
/// <see cref="TransactionResult"/>, a refused one (WRONGTYPE) as <see cref="Rejected"/> while the others still
/// apply, as Redis does. When one of <see cref="Watches"/> no longer holds (WATCH saw another version) nothing
/// runs and the result has no replies. Every key, watched or used, must be in one slot (CROSSSLOT otherwise).
/// Commands are single-partition commands; a multi-key read or write of one slot travels as its partition
/// part (<see cref="MultiGetPart"/>, <see cref="MultiSetPart"/>).</summary>
public sealed record Transaction(IClientCommand[] Commands, WatchedKey[] Watches) : IMultiKeyCommand, IWriteCommand
{
    public CacheKey Key => KeysOf(this).FirstOrDefault();

    public IEnumerable<CacheKey> Keys => KeysOf(this);

    /// <summary>The keys a command names, for routing and the slot check; empty for a command that cannot
    /// be part of a transaction (one without keys, or one that spans partitions).</summary>
    public static IEnumerable<CacheKey> KeysOf(IClientCommand command) => command switch
    {
        Transaction tx => (tx.Watches ?? []).Select(w => w.Key).Concat((tx.Commands ?? []).SelectMany(KeysOf)),
        IMultiKeyCommand multi => multi.Keys,
        ICacheCommand keyed => [keyed.Key],
        MultiGetPart get => get.Keys ?? [],
        MultiSetPart set => (set.Entries ?? []).Select(e => e.Key),
        _ => [],
    };
}

/// <summary>WATCH's condition: the key still has <see cref="Version"/> (0: it still does not exist; negative: it
/// did not exist when the partition's next version was -Version, and has not been created and removed since).</summary>
public sealed record WatchedKey(CacheKey Key, long Version) : IDistCacheMessage;

/// <summary>WATCH: the keys' versions now (for a missing key, minus the partition's next version), as <see cref="KeyVersionList"/>. A read,
/// so a key's expiry does not slide. All keys in one slot.</summary>
public sealed record KeyVersions(CacheKey[] Keys) : IMultiKeyCommand
{
    public CacheKey Key => Keys is [var first, ..] ? first : default;

    IEnumerable<CacheKey> IMultiKeyCommand.Keys => Keys ?? [];
}

public sealed record KeyVersionList(long[] Versions) : ICacheReply;

/// <summary>EXEC's answer: each command's reply in order, or null <see cref="Replies"/> when a watched key
/// had changed and nothing ran (Redis's nil array).</summary>
public sealed record TransactionResult(ICacheReply[]? Replies) : ICacheReply
{
    public static readonly TransactionResult Aborted = new((ICacheReply[]?)null);

    public bool Committed => Replies is not null;
}
