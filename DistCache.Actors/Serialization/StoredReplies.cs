using System.Runtime.Serialization;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>The replies only a transaction journals (format 9): its own, and in its slots the replies of reads
/// and refusals that a lone command never journals, so a retried EXEC is answered exactly as the first one
/// was, after a crash too. Tags share <see cref="StoredValueFormat"/>'s numbering: never renumber, only add.</summary>
internal static class StoredReplies
{
    private const byte TransactionReply = 30;
    private const byte RejectedReply = 31;
    private const byte ValuesReply = 32;
    private const byte KeyDescriptionReply = 33;
    private const byte HashEntriesReply = 34;
    private const byte MemberFlagsReply = 35;
    private const byte SortedSetRankReply = 36;
    private const byte ListPositionsReply = 37;
    private const byte NoListItemsReply = 38;
    private const byte SortedSetEntriesWithGapsReply = 39;
    private const byte FoundVersionedReply = 40;
    private const byte HashPageReply = 41;
    private const byte SetPageReply = 42;
    private const byte SortedSetPageReply = 43;
    private const byte KeylessListItemsReply = 44;
    private const byte NotDeletedReply = 45;

    /// <summary>Whether <paramref name="reply"/> is one of these kinds (then it is written).</summary>
    public static bool TryWrite(BinaryWriter writer, ICacheReply reply)
    {
        switch (reply)
        {
            case TransactionResult result:
                writer.Write(TransactionReply);
                writer.Write(result.Committed);
                if (result.Replies is { } replies)
                {
                    writer.Write(replies.Length);
                    foreach (var slot in replies)
                        StoredValueFormat.WriteReply(writer, slot);
                }
                return true;
            case Rejected rejected:
                writer.Write(RejectedReply);
                writer.Write((byte)rejected.Code);
                writer.Write(rejected.Size);
                writer.Write(rejected.Limit);
                return true;
            case Values values:
                writer.Write(ValuesReply);
                writer.Write(values.Items.Length);
                foreach (var value in values.Items)
                    WriteOptionalValue(writer, value);
                return true;
            case KeyDescription description:
                writer.Write(KeyDescriptionReply);
                writer.Write(description.Type);
                writer.Write(description.Encoding is not null);
                if (description.Encoding is { } encoding)
                    writer.Write(encoding);
                return true;
            case HashEntries entries:
                writer.Write(HashEntriesReply);
                WriteFields(writer, entries.Fields);
                return true;
            case MemberFlags flags:
                writer.Write(MemberFlagsReply);
                writer.Write(flags.Found.Length);
                foreach (var found in flags.Found)
                    writer.Write(found);
                return true;
            case SortedSetRank rank:
                writer.Write(SortedSetRankReply);
                writer.Write(rank.Rank);
                writer.Write(rank.Score);
                return true;
            case ListPositions positions:
                writer.Write(ListPositionsReply);
                writer.Write(positions.Positions.Length);
                foreach (var position in positions.Positions)
                    writer.Write(position);
                return true;
            case ListItems { Items: null }:
                writer.Write(NoListItemsReply);
                return true;
            case SortedSetEntries entries:
                writer.Write(SortedSetEntriesWithGapsReply);
                writer.Write(entries.Entries.Length);
                foreach (var entry in entries.Entries)
                {
                    writer.Write(entry is not null);
                    if (entry is not null)
                        SortedSetType.WriteMembers(writer, [entry]);
                }
                return true;
            case FoundVersioned found:
                writer.Write(FoundVersionedReply);
                WriteOptionalValue(writer, found.Value);
                writer.Write(found.Version);
                return true;
            case HashPage page:
                writer.Write(HashPageReply);
                WriteFields(writer, page.Fields);
                WriteOptionalKey(writer, page.Next);
                return true;
            case SetPage page:
                writer.Write(SetPageReply);
                SetType.WriteMembers(writer, page.Members);
                WriteOptionalKey(writer, page.Next);
                return true;
            case SortedSetPage page:
                writer.Write(SortedSetPageReply);
                SortedSetType.WriteMembers(writer, page.Entries);
                WriteOptionalKey(writer, page.Next);
                return true;
            case KeyedListItems { Key: null } popped:
                writer.Write(KeylessListItemsReply);
                ListType.WriteElements(writer, popped.Items);
                return true;
            case Deleted { Existed: false }:
                writer.Write(NotDeletedReply);
                return true;
            default:
                return false;
        }
    }

    public static ICacheReply Read(byte kind, BinaryReader reader) => kind switch
    {
        TransactionReply => reader.ReadBoolean() ? new TransactionResult(ReadSlots(reader)) : TransactionResult.Aborted,
        RejectedReply => new Rejected((CacheErrorCode)reader.ReadByte(), reader.ReadInt64(), reader.ReadInt64()),
        ValuesReply => new Values(ReadArray(reader, ReadOptionalValue)),
        KeyDescriptionReply => new KeyDescription(reader.ReadString(), reader.ReadBoolean() ? reader.ReadString() : null),
        HashEntriesReply => new HashEntries(ReadFields(reader)),
        MemberFlagsReply => new MemberFlags(ReadArray(reader, r => r.ReadBoolean())),
        SortedSetRankReply => new SortedSetRank(reader.ReadInt64(), reader.ReadDouble()),
        ListPositionsReply => new ListPositions(ReadArray(reader, r => r.ReadInt64())),
        NoListItemsReply => new ListItems(null),
        SortedSetEntriesWithGapsReply => new SortedSetEntries(ReadArray(reader, r => r.ReadBoolean() ? SortedSetType.ReadMembers(r)[0] : null)),
        FoundVersionedReply => new FoundVersioned(ReadOptionalValue(reader), reader.ReadInt64()),
        HashPageReply => new HashPage(ReadFields(reader), ReadOptionalKey(reader)),
        SetPageReply => new SetPage(SetType.ReadMembers(reader), ReadOptionalKey(reader)),
        SortedSetPageReply => new SortedSetPage(SortedSetType.ReadMembers(reader), ReadOptionalKey(reader)),
        KeylessListItemsReply => new KeyedListItems(null, ListType.ReadElements(reader)),
        NotDeletedReply => new Deleted(false),
        var other => throw new SerializationException($"Unknown stored reply kind {other}"),
    };

    /// <summary>Whether the reply is a transaction's: data holding one is written as format 9.</summary>
    public static bool IsTransaction(ICacheReply? reply) => reply is TransactionResult;

    private static ICacheReply[] ReadSlots(BinaryReader reader) =>
        ReadArray(reader, r => StoredValueFormat.ReadReply(r) ?? throw new SerializationException("A transaction's stored reply has an empty slot"));

    private static T[] ReadArray<T>(BinaryReader reader, Func<BinaryReader, T> read)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored reply count {count} is negative");
        var items = new T[count];
        for (var i = 0; i < count; i++)
            items[i] = read(reader);
        return items;
    }

    private static void WriteOptionalValue(BinaryWriter writer, CacheValue? value)
    {
        writer.Write(value is not null);
        if (value is not null)
            StoredValueFormat.WriteValue(writer, value);
    }

    private static CacheValue? ReadOptionalValue(BinaryReader reader) => reader.ReadBoolean() ? StoredValueFormat.ReadValue(reader) : null;

    private static void WriteOptionalKey(BinaryWriter writer, CacheKey? key)
    {
        writer.Write(key is not null);
        if (key is { } k)
            StoredValueFormat.WriteKey(writer, k);
    }

    private static CacheKey? ReadOptionalKey(BinaryReader reader) => reader.ReadBoolean() ? StoredValueFormat.ReadKey(reader) : (CacheKey?)null;

    // HMGET answers a missing field with a null value: kept as such.
    private static void WriteFields(BinaryWriter writer, HashField[] fields)
    {
        writer.Write(fields.Length);
        foreach (var field in fields)
        {
            StoredValueFormat.WriteKey(writer, field.Field);
            writer.Write(field.Value is not null);
            if (field.Value is { } value)
            {
                writer.Write(value.Length);
                writer.Write(value);
            }
        }
    }

    private static HashField[] ReadFields(BinaryReader reader) => ReadArray(reader, r =>
    {
        var field = StoredValueFormat.ReadKey(r);
        return new HashField(field, r.ReadBoolean() ? r.ReadBytes(r.ReadInt32()) : null!);
    });
}
