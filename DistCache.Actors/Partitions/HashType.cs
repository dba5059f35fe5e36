using System.Runtime.Serialization;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Redis's hash type: a key holding fields and their values (<see cref="HashValue"/>). Its commands
/// are <see cref="HashCommands"/>; its journal events carry the fields a write changed
/// (<see cref="HashFieldsSet"/>, <see cref="HashFieldsRemoved"/>), never the whole hash, except COPY and
/// RENAME (<see cref="HashReplaced"/>, once).</summary>
public sealed class HashType : DataType
{
    public static readonly HashType Instance = new();

    /// <summary>The stored-format tag a hash takes where a string writes its <see cref="ValueKind"/> (0-6).</summary>
    public const byte StoredTag = 64;

    // Redis 7 keeps a hash as a listpack up to these (hash-max-listpack-entries, hash-max-listpack-value).
    private const int ListpackEntries = 128;
    private const int ListpackValueBytes = 64;

    private HashType()
    {
    }

    public override string Name => "hash";

    public override long PayloadBytes(in CacheEntry entry) => entry.Hash!.PayloadBytes;

    public override EntryChange CopyTo(CacheKey key, in CacheEntry source) => new HashReplaced(key, source.Hash!.ToFields(), source.ExpiresAt);

    public override string EncodingOf(in CacheEntry entry) => EncodingOf(entry.Hash!);

    /// <summary>Applies <see cref="HashFieldsSet"/> in place: the hash is changed, never copied. A missing
    /// key becomes a new hash without expiry (a key holding a string, which no decision journals, too).</summary>
    public static void Apply(EntryTable table, HashFieldsSet set)
    {
        ref var entry = ref table.BeginEdit(set.Key);
        if (entry.Hash is null)
            entry.Hash = new HashValue(set.Fields.Length);
        var hash = entry.Hash!;
        foreach (var field in set.Fields)
            hash.Set(field.Field, field.Value);
        table.EndEdit(set.Key, ref entry);
    }

    /// <summary>Applies <see cref="HashFieldsRemoved"/> in place; nothing happens to a key that holds no hash.</summary>
    public static void Apply(EntryTable table, HashFieldsRemoved removed)
    {
        if (!table.Entries.TryGetValue(removed.Key, out var found) || found.Hash is null)
            return;
        ref var entry = ref table.BeginEdit(removed.Key);
        var hash = entry.Hash!;
        foreach (var field in removed.Fields)
            hash.Remove(field);
        table.EndEdit(removed.Key, ref entry);
        // Redis never keeps an empty hash; the decision journals a removal instead, this only guards.
        if (hash.Count == 0)
            table.Remove(removed.Key);
    }

    /// <summary>What Redis's OBJECT ENCODING would answer for the hash.</summary>
    public static string EncodingOf(HashValue hash)
    {
        if (hash.Count > ListpackEntries)
            return "hashtable";
        foreach (var (field, value) in hash.Fields)
        {
            if (field.Length > ListpackValueBytes || value.Length > ListpackValueBytes)
                return "hashtable";
        }
        return "listpack";
    }

    /// <summary>What a hash of <paramref name="fields"/> under <paramref name="key"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, HashField[] fields) => CacheEntry.SizeOf(key, HashValue.From(fields).PayloadBytes);

    /// <summary>A hash as snapshots store it: the tag, the field count, then each field and value.</summary>
    public static void Write(BinaryWriter writer, IReadOnlyList<HashField> fields)
    {
        writer.Write(StoredTag);
        WriteFields(writer, fields);
    }

    public static void WriteFields(BinaryWriter writer, IReadOnlyList<HashField> fields)
    {
        writer.Write(fields.Count);
        foreach (var field in fields)
        {
            WriteBytes(writer, field.Field.AsSpan());
            WriteBytes(writer, field.Value);
        }
    }

    /// <summary>The fields after the tag (read by whoever read the tag).</summary>
    public static HashField[] ReadFields(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored hash field count {count} is negative");
        var fields = new HashField[count];
        for (var i = 0; i < count; i++)
            fields[i] = new HashField(new CacheKey(ReadBytes(reader)), ReadBytes(reader));
        return fields;
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write7BitEncodedInt(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var bytes = length < 0 ? throw new SerializationException($"Stored length {length} is negative") : reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new SerializationException($"Stored hash is cut short: {bytes.Length} of {length} bytes");
    }
}
