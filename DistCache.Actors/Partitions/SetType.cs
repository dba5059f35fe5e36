using System.Runtime.Serialization;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Redis's set type: a key holding distinct members (<see cref="MemberSet"/>). Its commands are
/// <see cref="SetCommands"/>; its journal events carry the members a write changed
/// (<see cref="SetMembersAdded"/>, <see cref="SetMembersRemoved"/>), never the whole set, except COPY,
/// RENAME and the STORE forms' destination (<see cref="SetReplaced"/>, once).</summary>
public sealed class SetType : DataType
{
    public static readonly SetType Instance = new();

    /// <summary>The stored-format tag a set takes where a string writes its <see cref="ValueKind"/> (0-6).</summary>
    public const byte StoredTag = 66;

    private SetType()
    {
    }

    public override string Name => "set";

    public override long PayloadBytes(in CacheEntry entry) => entry.Set!.PayloadBytes;

    public override EntryChange CopyTo(CacheKey key, in CacheEntry source) => new SetReplaced(key, source.Set!.ToArray(), source.ExpiresAt);

    public override string EncodingOf(in CacheEntry entry) => SetEncodings.Name(entry.Set!.Encoding);

    /// <summary>Applies <see cref="SetMembersAdded"/> in place: the set is changed, never copied. A missing
    /// key becomes a new set without expiry (a key holding another type, which no decision journals, too).</summary>
    public static void Apply(EntryTable table, SetMembersAdded added)
    {
        ref var entry = ref table.BeginEdit(added.Key);
        if (entry.Set is null)
            entry.Set = new MemberSet(added.Members.Length);
        var set = entry.Set!;
        foreach (var member in added.Members)
            set.Add(member);
        table.EndEdit(added.Key, ref entry);
    }

    /// <summary>Applies <see cref="SetMembersRemoved"/> in place; nothing happens to a key that holds no set.</summary>
    public static void Apply(EntryTable table, SetMembersRemoved removed)
    {
        if (!table.Entries.TryGetValue(removed.Key, out var found) || found.Set is null)
            return;
        ref var entry = ref table.BeginEdit(removed.Key);
        var set = entry.Set!;
        foreach (var member in removed.Members)
            set.Remove(member);
        table.EndEdit(removed.Key, ref entry);
        // Redis never keeps an empty set; the decision journals a removal instead, this only guards.
        if (set.Count == 0)
            table.Remove(removed.Key);
    }

    /// <summary>What a set of <paramref name="members"/> under <paramref name="key"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, CacheKey[] members)
    {
        long bytes = 0;
        foreach (var member in members)
            bytes += member.Length + MemberSet.MemberOverheadBytes;
        return CacheEntry.SizeOf(key, bytes);
    }

    /// <summary>A set as snapshots store it: the tag, the member count, then each member.</summary>
    public static void Write(BinaryWriter writer, IReadOnlyList<CacheKey> members)
    {
        writer.Write(StoredTag);
        WriteMembers(writer, members);
    }

    public static void WriteMembers(BinaryWriter writer, IReadOnlyList<CacheKey> members)
    {
        writer.Write(members.Count);
        foreach (var member in members)
        {
            writer.Write7BitEncodedInt(member.Length);
            writer.Write(member.AsSpan());
        }
    }

    /// <summary>The members after the tag (read by whoever read the tag).</summary>
    public static CacheKey[] ReadMembers(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored set member count {count} is negative");
        var members = new CacheKey[count];
        for (var i = 0; i < count; i++)
        {
            var length = reader.Read7BitEncodedInt();
            var bytes = length < 0 ? throw new SerializationException($"Stored length {length} is negative") : reader.ReadBytes(length);
            members[i] = bytes.Length == length ? new CacheKey(bytes) : throw new SerializationException($"Stored set is cut short: {bytes.Length} of {length} bytes");
        }
        return members;
    }
}
