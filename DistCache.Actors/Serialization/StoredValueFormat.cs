using DistCache.Actors.Partitions;
using System.Runtime.Serialization;
using DistCache.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>The field layouts shared by stored events and snapshots. Tags are part of the stored format:
/// never renumber one, only add.</summary>
internal static class StoredValueFormat
{
    private const byte StoredReply = 0;
    private const byte DeletedReply = 1;
    private const byte CounterReply = 2;
    private const byte WrittenReply = 3;
    private const byte FoundReply = 4;
    private const byte CasReply = 5;
    private const byte ExistenceReply = 6;
    private const byte ListItemsReply = 7;
    private const byte KeyedListItemsReply = 8;
    private const byte SortedSetEntriesReply = 13;
    private const byte SortedSetPoppedReply = 14;
    private const byte SortedSetScoreReply = 15;
    private const byte SetMembersReply = 10;
    private const byte NoReply = 255;

    private const byte SetChange = 1;
    private const byte RemovedChange = 2;
    private const byte ExpiryChange = 3;
    private const byte ClearChange = 4;
    private const byte SlidingChange = 5;
    private const byte HashFieldsSetChange = 6;
    private const byte HashFieldsRemovedChange = 7;
    private const byte HashReplacedChange = 8;
    private const byte ListPushedChange = 9;
    private const byte ListTrimmedChange = 10;
    private const byte ListEditedChange = 11;
    private const byte ListReplacedChange = 12;
    private const byte ZSetMembersScoredChange = 17;
    private const byte ZSetMembersRemovedChange = 18;
    private const byte ZSetReplacedChange = 19;
    private const byte SetMembersAddedChange = 13;
    private const byte SetMembersRemovedChange = 14;
    private const byte SetReplacedChange = 15;

    /// <summary>A string value in an event, a snapshot or a remembered reply (<see cref="StringType.Write"/>).
    /// A hash is never a value of an event: its changes have change kinds of their own, and a snapshot
    /// entry holding one starts with <see cref="HashType.StoredTag"/> where a string's starts with its
    /// kind. An older layout is upcast here, where it is read, never in <c>PartitionState.Apply</c>.</summary>
    public static void WriteValue(BinaryWriter writer, CacheValue value) => StringType.Write(writer, value);

    public static CacheValue ReadValue(BinaryReader reader) => StringType.Read(reader);

    /// <summary>A string's value whose <see cref="ValueKind"/> tag was already read (to tell it from another type's).</summary>
    public static CacheValue ReadValueAfterKind(BinaryReader reader, byte kind)
    {
        var length = reader.ReadInt32();
        return new CacheValue((ValueKind)kind, reader.ReadBytes(length));
    }

    /// <summary>A key: its length as a 7-bit encoded count, then its bytes. That is byte for byte how
    /// <see cref="BinaryWriter.Write(string)"/> stored a key when keys were strings (the UTF-8 byte count,
    /// then the UTF-8), so keys of every older format read back as the same bytes, without a decode.</summary>
    public static void WriteKey(BinaryWriter writer, CacheKey key)
    {
        writer.Write7BitEncodedInt(key.Length);
        writer.Write(key.AsSpan());
    }

    public static CacheKey ReadKey(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        if (length < 0)
            throw new SerializationException($"Stored key length {length} is negative");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
            throw new SerializationException($"Stored key is cut short: {bytes.Length} of {length} bytes");
        return new CacheKey(bytes);
    }

    private static CacheKey[] ReadKeys(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored field count {count} is negative");
        var keys = new CacheKey[count];
        for (var i = 0; i < count; i++)
            keys[i] = ReadKey(reader);
        return keys;
    }

    public static void WriteGuid(BinaryWriter writer, Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        writer.Write(bytes);
    }

    public static Guid ReadGuid(BinaryReader reader) => new(reader.ReadBytes(16));

    /// <summary>The replies a journaled write can have.</summary>
    public static void WriteReply(BinaryWriter writer, ICacheReply? reply)
    {
        switch (reply)
        {
            case null:
                writer.Write(NoReply);
                break;
            case CounterValue counter:
                writer.Write(CounterReply);
                writer.Write(counter.Value);
                break;
            case Deleted { Existed: true }:
                writer.Write(DeletedReply);
                break;
            case Written written:
                writer.Write(WrittenReply);
                writer.Write(written.Applied);
                break;
            case Found found:
                writer.Write(FoundReply);
                writer.Write(found.Value is not null);
                if (found.Value is not null)
                    WriteValue(writer, found.Value);
                break;
            case CasResult cas:
                writer.Write(CasReply);
                writer.Write(cas.Applied);
                writer.Write(cas.Version);
                break;
            case Existence existence:
                writer.Write(ExistenceReply);
                writer.Write(existence.Exists);
                break;
            case Stored:
                writer.Write(StoredReply);
                break;
            // The elements a pop took: a retried pop is answered with them and pops nothing more.
            case ListItems { Items: { } items }:
                writer.Write(ListItemsReply);
                ListType.WriteElements(writer, items);
                break;
            case KeyedListItems { Key: { } key } popped:
                writer.Write(KeyedListItemsReply);
                WriteKey(writer, key);
                ListType.WriteElements(writer, popped.Items);
                break;
            case SortedSetEntries entries when !entries.Entries.Contains(null):
                // Only pops journal entries, and they have no missing (null) items (ZMSCORE's, in a transaction, go below).
                writer.Write(SortedSetEntriesReply);
                SortedSetType.WriteMembers(writer, entries.Entries!);
                break;
            case SortedSetPopped popped:
                writer.Write(SortedSetPoppedReply);
                writer.Write(popped.Key is not null);
                if (popped.Key is { } poppedKey)
                    WriteKey(writer, poppedKey);
                SortedSetType.WriteMembers(writer, popped.Entries);
                break;
            case SortedSetScore score:
                writer.Write(SortedSetScoreReply);
                writer.Write(score.Exists);
                writer.Write(score.Score);
                break;

            case SetMembers members:
                writer.Write(SetMembersReply);
                SetType.WriteMembers(writer, members.Members);
                break;
            default:
                if (!StoredReplies.TryWrite(writer, reply))
                    throw new ArgumentException($"A {reply.GetType().Name} reply is not stored");
                break;
        }
    }

    public static ICacheReply? ReadReply(BinaryReader reader) => reader.ReadByte() switch
    {
        StoredReply => Stored.Instance,
        DeletedReply => new Deleted(true),
        CounterReply => new CounterValue(reader.ReadInt64()),
        WrittenReply => new Written(reader.ReadBoolean()),
        FoundReply => new Found(reader.ReadBoolean() ? ReadValue(reader) : null),
        CasReply => new CasResult(reader.ReadBoolean(), reader.ReadInt64()),
        ExistenceReply => new Existence(reader.ReadBoolean()),
        ListItemsReply => new ListItems(ListType.ReadElements(reader)),
        KeyedListItemsReply => new KeyedListItems(ReadKey(reader), ListType.ReadElements(reader)),
        SortedSetEntriesReply => new SortedSetEntries(SortedSetType.ReadMembers(reader)),
        SortedSetPoppedReply => new SortedSetPopped(reader.ReadBoolean() ? ReadKey(reader) : (CacheKey?)null, SortedSetType.ReadMembers(reader)),
        SortedSetScoreReply => new SortedSetScore(reader.ReadBoolean(), reader.ReadDouble()),
        SetMembersReply => new SetMembers(SetType.ReadMembers(reader)),
        NoReply => null,
        var other => StoredReplies.Read(other, reader),
    };

    public static void WriteChange(BinaryWriter writer, EntryChange change)
    {
        switch (change)
        {
            case EntrySet set:
                writer.Write(SetChange);
                WriteKey(writer, set.Key);
                WriteValue(writer, set.Value);
                writer.Write(set.ExpiresAt);
                break;
            case EntryRemoved removed:
                writer.Write(RemovedChange);
                WriteKey(writer, removed.Key);
                writer.Write(removed.Evicted);
                break;
            case EntryExpiry expiry:
                writer.Write(ExpiryChange);
                WriteKey(writer, expiry.Key);
                writer.Write(expiry.ExpiresAt);
                break;
            case AllRemoved:
                writer.Write(ClearChange);
                break;
            case EntrySliding sliding:
                writer.Write(SlidingChange);
                WriteKey(writer, sliding.Key);
                writer.Write(sliding.WindowMs);
                writer.Write(sliding.NotAfter);
                break;
            case HashFieldsSet set:
                writer.Write(HashFieldsSetChange);
                WriteKey(writer, set.Key);
                HashType.WriteFields(writer, set.Fields);
                break;
            case HashFieldsRemoved removed:
                writer.Write(HashFieldsRemovedChange);
                WriteKey(writer, removed.Key);
                writer.Write(removed.Fields.Length);
                foreach (var field in removed.Fields)
                    WriteKey(writer, field);
                break;
            case HashReplaced replaced:
                writer.Write(HashReplacedChange);
                WriteKey(writer, replaced.Key);
                HashType.WriteFields(writer, replaced.Fields);
                writer.Write(replaced.ExpiresAt);
                break;
            case ListPushed pushed:
                writer.Write(ListPushedChange);
                WriteKey(writer, pushed.Key);
                writer.Write(pushed.Left);
                ListType.WriteElements(writer, pushed.Elements);
                break;
            case ListTrimmed trimmed:
                writer.Write(ListTrimmedChange);
                WriteKey(writer, trimmed.Key);
                writer.Write(trimmed.FromLeft);
                writer.Write(trimmed.FromRight);
                break;
            case ListEdited edited:
                writer.Write(ListEditedChange);
                WriteKey(writer, edited.Key);
                writer.Write((byte)edited.Kind);
                writer.Write(edited.Indexes.Length);
                foreach (var index in edited.Indexes)
                    writer.Write(index);
                ListType.WriteElements(writer, edited.Element is null ? [] : [edited.Element]);
                break;
            case ListReplaced replaced:
                writer.Write(ListReplacedChange);
                WriteKey(writer, replaced.Key);
                ListType.WriteElements(writer, replaced.Elements);
                writer.Write(replaced.ExpiresAt);
                break;
            case ZSetMembersScored scored:
                writer.Write(ZSetMembersScoredChange);
                WriteKey(writer, scored.Key);
                SortedSetType.WriteMembers(writer, scored.Members);
                break;
            case ZSetMembersRemoved removed:
                writer.Write(ZSetMembersRemovedChange);
                WriteKey(writer, removed.Key);
                writer.Write(removed.Members.Length);
                foreach (var member in removed.Members)
                    WriteKey(writer, member);
                break;
            case ZSetReplaced replaced:
                writer.Write(ZSetReplacedChange);
                WriteKey(writer, replaced.Key);
                SortedSetType.WriteMembers(writer, replaced.Members);
                writer.Write(replaced.ExpiresAt);
                break;

            case SetMembersAdded added:
                writer.Write(SetMembersAddedChange);
                WriteKey(writer, added.Key);
                SetType.WriteMembers(writer, added.Members);
                break;
            case SetMembersRemoved removed:
                writer.Write(SetMembersRemovedChange);
                WriteKey(writer, removed.Key);
                SetType.WriteMembers(writer, removed.Members);
                break;
            case SetReplaced replaced:
                writer.Write(SetReplacedChange);
                WriteKey(writer, replaced.Key);
                SetType.WriteMembers(writer, replaced.Members);
                writer.Write(replaced.ExpiresAt);
                break;
            default:
                throw new ArgumentException($"Unknown change {change.GetType().Name}");
        }
    }

    public static EntryChange ReadChange(BinaryReader reader) => reader.ReadByte() switch
    {
        SetChange => new EntrySet(ReadKey(reader), ReadValue(reader), reader.ReadInt64()),
        RemovedChange => new EntryRemoved(ReadKey(reader), reader.ReadBoolean()),
        ExpiryChange => new EntryExpiry(ReadKey(reader), reader.ReadInt64()),
        ClearChange => AllRemoved.Instance,
        SlidingChange => new EntrySliding(ReadKey(reader), reader.ReadInt64(), reader.ReadInt64()),
        HashFieldsSetChange => new HashFieldsSet(ReadKey(reader), HashType.ReadFields(reader)),
        HashFieldsRemovedChange => new HashFieldsRemoved(ReadKey(reader), ReadKeys(reader)),
        HashReplacedChange => new HashReplaced(ReadKey(reader), HashType.ReadFields(reader), reader.ReadInt64()),
        ListPushedChange => new ListPushed(ReadKey(reader), reader.ReadBoolean(), ListType.ReadElements(reader)),
        ListTrimmedChange => new ListTrimmed(ReadKey(reader), reader.ReadInt64(), reader.ReadInt64()),
        ListEditedChange => ReadListEdited(reader),
        ListReplacedChange => new ListReplaced(ReadKey(reader), ListType.ReadElements(reader), reader.ReadInt64()),
        ZSetMembersScoredChange => new ZSetMembersScored(ReadKey(reader), SortedSetType.ReadMembers(reader)),
        ZSetMembersRemovedChange => new ZSetMembersRemoved(ReadKey(reader), ReadKeys(reader)),
        ZSetReplacedChange => new ZSetReplaced(ReadKey(reader), SortedSetType.ReadMembers(reader), reader.ReadInt64()),
        SetMembersAddedChange => new SetMembersAdded(ReadKey(reader), SetType.ReadMembers(reader)),
        SetMembersRemovedChange => new SetMembersRemoved(ReadKey(reader), SetType.ReadMembers(reader)),
        SetReplacedChange => new SetReplaced(ReadKey(reader), SetType.ReadMembers(reader), reader.ReadInt64()),
        var other => throw new SerializationException($"Unknown stored change kind {other}"),
    };

    private static ListEdited ReadListEdited(BinaryReader reader)
    {
        var key = ReadKey(reader);
        var kind = (ListEditKind)reader.ReadByte();
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored index count {count} is negative");
        var indexes = new long[count];
        for (var i = 0; i < count; i++)
            indexes[i] = reader.ReadInt64();
        var element = ListType.ReadElements(reader) is [var one] ? one : null;
        return new ListEdited(key, kind, indexes, element);
    }
}
