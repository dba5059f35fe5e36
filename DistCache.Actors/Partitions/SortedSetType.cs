using System.Runtime.Serialization;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Redis's sorted-set type: a key holding members ordered by score (<see cref="SortedSetValue"/>).
/// Its commands are <see cref="SortedSetCommands"/>; its journal events carry the members a write changed
/// (<see cref="ZSetMembersScored"/>, <see cref="ZSetMembersRemoved"/>), never the whole set, except COPY,
/// RENAME and the STORE commands (<see cref="ZSetReplaced"/>, once).</summary>
public sealed class SortedSetType : DataType
{
    public static readonly SortedSetType Instance = new();

    /// <summary>The stored-format tag a sorted set takes where a string writes its <see cref="ValueKind"/>.</summary>
    public const byte StoredTag = 67;

    private SortedSetType()
    {
    }

    public override string Name => "zset";

    public override long PayloadBytes(in CacheEntry entry) => entry.SortedSet!.PayloadBytes;

    public override EntryChange CopyTo(CacheKey key, in CacheEntry source) => new ZSetReplaced(key, source.SortedSet!.ToEntries(), source.ExpiresAt);

    public override string EncodingOf(in CacheEntry entry) => entry.SortedSet!.IsSkipList ? "skiplist" : "listpack";

    /// <summary>Applies <see cref="ZSetMembersScored"/> in place. A missing key becomes a new sorted set
    /// without expiry (a key holding another type, which no decision journals, too).</summary>
    public static void Apply(EntryTable table, ZSetMembersScored scored)
    {
        ref var entry = ref table.BeginEdit(scored.Key);
        if (entry.SortedSet is null)
            entry.SortedSet = new SortedSetValue(scored.Members.Length);
        var set = entry.SortedSet!;
        foreach (var member in scored.Members)
            set.Set(member.Member, member.Score);
        table.EndEdit(scored.Key, ref entry);
    }

    /// <summary>Applies <see cref="ZSetMembersRemoved"/> in place; nothing happens to a key that holds no sorted set.</summary>
    public static void Apply(EntryTable table, ZSetMembersRemoved removed)
    {
        if (!table.Entries.TryGetValue(removed.Key, out var found) || found.SortedSet is null)
            return;
        ref var entry = ref table.BeginEdit(removed.Key);
        var set = entry.SortedSet!;
        foreach (var member in removed.Members)
            set.Remove(member);
        table.EndEdit(removed.Key, ref entry);
        // Redis never keeps an empty sorted set; the decision journals a removal instead, this only guards.
        if (set.Count == 0)
            table.Remove(removed.Key);
    }

    /// <summary>What a sorted set of <paramref name="members"/> under <paramref name="key"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, SortedSetEntry[] members)
    {
        long bytes = 0;
        foreach (var member in members)
            bytes += member.Member.Length + sizeof(double) + SortedSetValue.MemberOverheadBytes;
        return CacheEntry.SizeOf(key, bytes);
    }

    /// <summary>A sorted set as snapshots store it: the tag, the member count, then each member and score, in order.</summary>
    public static void Write(BinaryWriter writer, IReadOnlyList<SortedSetEntry> members)
    {
        writer.Write(StoredTag);
        WriteMembers(writer, members);
    }

    public static void WriteMembers(BinaryWriter writer, IReadOnlyList<SortedSetEntry> members)
    {
        writer.Write(members.Count);
        foreach (var member in members)
        {
            writer.Write7BitEncodedInt(member.Member.Length);
            writer.Write(member.Member.AsSpan());
            writer.Write(member.Score);
        }
    }

    /// <summary>The members after the tag (read by whoever read the tag).</summary>
    public static SortedSetEntry[] ReadMembers(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored sorted set member count {count} is negative");
        var members = new SortedSetEntry[count];
        for (var i = 0; i < count; i++)
        {
            var length = reader.Read7BitEncodedInt();
            var bytes = length < 0 ? throw new SerializationException($"Stored length {length} is negative") : reader.ReadBytes(length);
            if (bytes.Length != length)
                throw new SerializationException($"Stored sorted set is cut short: {bytes.Length} of {length} bytes");
            members[i] = new SortedSetEntry(new CacheKey(bytes), reader.ReadDouble());
        }
        return members;
    }
}
