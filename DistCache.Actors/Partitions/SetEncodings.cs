using System.Buffers.Text;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>The encodings OBJECT ENCODING names for a set, smallest first.</summary>
public enum SetEncoding : byte
{
    IntSet = 0,
    Listpack = 1,
    HashTable = 2,
}

/// <summary>Redis 7.2's rules for a set's encoding (t_set.c setTypeAddAux, setTypeMaybeConvert) with its
/// defaults: an intset while every member is an integer and there are at most set-max-intset-entries (512);
/// else a listpack while there are at most set-max-listpack-entries (128) of at most set-max-listpack-value
/// (64) bytes each; else a hashtable. A set only moves up that order.</summary>
public static class SetEncodings
{
    public const int MaxIntSetEntries = 512;
    public const int MaxListpackEntries = 128;
    public const int MaxListpackValueBytes = 64;

    /// <summary>The encoding after <paramref name="added"/> joined a set now of <paramref name="count"/> members.</summary>
    public static SetEncoding After(SetEncoding encoding, int count, CacheKey added)
    {
        if (encoding == SetEncoding.IntSet && IsInteger(added))
            return count <= MaxIntSetEntries ? SetEncoding.IntSet : SetEncoding.HashTable;
        if (encoding == SetEncoding.HashTable)
            return SetEncoding.HashTable;
        return count <= MaxListpackEntries && added.Length <= MaxListpackValueBytes ? SetEncoding.Listpack : SetEncoding.HashTable;
    }

    public static string Name(SetEncoding encoding) => encoding switch
    {
        SetEncoding.IntSet => "intset",
        SetEncoding.Listpack => "listpack",
        _ => "hashtable",
    };

    // Redis's string2ll: a canonical signed 64-bit decimal (no "+", no leading zeros, no "-0").
    private static bool IsInteger(CacheKey member)
    {
        var bytes = member.AsSpan();
        if (bytes.Length is 0 or > 20 || !Utf8Parser.TryParse(bytes, out long value, out var used) || used != bytes.Length)
            return false;
        Span<byte> canonical = stackalloc byte[20];
        return Utf8Formatter.TryFormat(value, canonical, out var written) && canonical[..written].SequenceEqual(bytes);
    }
}
