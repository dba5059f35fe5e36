namespace DistCache.Protocol;

/// <summary>GETRANGE: the bytes from <see cref="Start"/> to <see cref="End"/> inclusive, negative
/// offsets counting from the end, as in Redis; an empty value when the key is missing. Replies
/// <see cref="Found"/>.</summary>
public sealed record GetRange(CacheKey Key, long Start, long End) : ICacheCommand;

/// <summary>SETRANGE: overwrites the string from byte <see cref="Offset"/> with <see cref="Data"/>,
/// padding with zero bytes; a missing key starts empty. Replies the new length as <see cref="CounterValue"/>.</summary>
public sealed record SetRange(CacheKey Key, long Offset, byte[] Data) : ICacheCommand, IWriteCommand;

/// <summary>INCRBYFLOAT: the number at the key plus <see cref="Delta"/>, stored and replied (as
/// <see cref="Found"/>) as Redis formats it. The key keeps its expiry. The increment travels as the text
/// the client gave, so decimal sums come out as a person expects (0.1 + 0.2 is 0.3, as in Redis).</summary>
public sealed record IncrementByFloat(CacheKey Key, string Delta) : ICacheCommand, IWriteCommand;

/// <summary>MSETNX: sets every entry only if none of the keys exists; replies <see cref="Written"/>. The
/// keys must share a slot (see <see cref="IMultiKeyCommand"/>).</summary>
public sealed record MultiSetIfAbsent(KeyedValue[] Entries) : IMultiKeyCommand, IWriteCommand
{
    public CacheKey Key => Entries is { Length: > 0 } ? Entries[0].Key : default;

    public IEnumerable<CacheKey> Keys => Entries.Select(e => e.Key);
}

/// <summary>SETBIT: sets or clears the bit at <see cref="Offset"/> (bit 0 is the first byte's most
/// significant), zero-padding the string to reach it; replies the bit's previous value as <see cref="CounterValue"/>.</summary>
public sealed record SetBit(CacheKey Key, long Offset, bool On) : ICacheCommand, IWriteCommand;
