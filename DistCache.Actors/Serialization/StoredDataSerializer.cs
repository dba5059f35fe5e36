using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>Writes journal events and snapshots in a compact layout of our own: a manifest per type,
/// a version byte, then length-prefixed fields. Unlike Hyperion (a wire format that embeds .NET type
/// names) this stays readable across .NET and library upgrades. Every older version stays readable.</summary>
public sealed class StoredDataSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 7301;

    // 1: key and value only. 2: adds the request id, and the recent-request window in snapshots.
    // 3: one event per write with all its changes (expiry, evictions) and its reply; versions and expiry
    //    in snapshots.
    // 4: a burst of writes in one event (manifest "pb"). Only bursts are written as 4: the other layouts
    //    did not change, so they keep version 3 and a release that reads 3 still reads them (a snapshot
    //    left by a planned stop, say).
    // 5: sliding expiry, a change kind of its own in events and a list after the rest in snapshots. Only
    //    data that holds one is written as 5, for the same reason.
    // 6: keys are byte strings. The layout did not change (a key was always its byte count, then its
    //    bytes, as BinaryWriter writes a string's UTF-8), so every version reads keys as bytes. But a
    //    release before 6 decodes a key that is not UTF-8 with replacement characters, merging distinct
    //    keys, so only data holding such a key is written as 6: those releases refuse it instead.
    // 7: hashes. Events gain the hash change kinds (fields set, fields removed, hash replaced); a snapshot
    //    entry's value starts with its type's tag (a string's ValueKind 0-6 as before, HashType.StoredTag
    //    then the field count, fields and values). Only data that holds a hash is written as 7, so data
    //    without one stays readable by the releases before.
    // 8: lists, sets and sorted sets. Events gain their change kinds and the stored replies of pops; a
    //    snapshot entry may start with ListType.StoredTag, SetType.StoredTag or SortedSetType.StoredTag, then
    //    the type's own layout. Only data that holds one of them is written as 8; data holding only strings
    //    and hashes keeps 7 or older.
    // 9: transactions (MULTI/EXEC): a write's reply may be a transaction's, holding the replies of every
    //    command it ran, reads and refusals too (reply kinds 30 and up). Only data holding one is written as 9.
    private const byte FormatVersion = 9;
    private const byte CollectionsSince8 = 8;
    private const byte HashesSince7 = 7;
    private const byte BinaryKeysSince6 = 6;
    private const byte SlidingSince5 = 5;
    private const byte BurstsSince4 = 4;
    private const byte UnchangedSince3 = 3;
    private const string PartitionChangedManifest = "pc";
    private const string PartitionBurstManifest = "pb";
    private const string ValueWrittenManifest = "vw";
    private const string KeyRemovedManifest = "kr";
    private const string SnapshotManifest = "ps";

    public StoredDataSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        PartitionChanged => PartitionChangedManifest,
        PartitionBurst => PartitionBurstManifest,
        ValueWritten => ValueWrittenManifest,
        KeyRemoved => KeyRemovedManifest,
        PartitionSnapshot => SnapshotManifest,
        _ => throw new ArgumentException($"StoredDataSerializer cannot store {o.GetType()}"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            var version = VersionFor(obj);
            writer.Write(version);
            switch (obj)
            {
                case PartitionChanged changed:
                    WriteChanged(writer, changed);
                    break;
                case PartitionBurst burst:
                    writer.Write(burst.Writes.Length);
                    foreach (var write in burst.Writes)
                        WriteChanged(writer, write);
                    break;
                case ValueWritten written:
                    StoredValueFormat.WriteKey(writer, written.Key);
                    StoredValueFormat.WriteValue(writer, written.Value);
                    StoredValueFormat.WriteGuid(writer, written.RequestId);
                    writer.Write(written.IsCounter);
                    break;
                case KeyRemoved removed:
                    StoredValueFormat.WriteKey(writer, removed.Key);
                    StoredValueFormat.WriteGuid(writer, removed.RequestId);
                    break;
                case PartitionSnapshot snapshot:
                    writer.Write(snapshot.Entries.Count);
                    foreach (var entry in snapshot.Entries)
                    {
                        StoredValueFormat.WriteKey(writer, entry.Key);
                        if (entry.Hash is { } fields)
                            HashType.Write(writer, fields);
                        else if (entry.List is { } elements)
                            ListType.Write(writer, elements);
                        else if (entry.SortedSet is { } members)
                            SortedSetType.Write(writer, members);
                        else if (entry.Set is { } setMembers)
                            SetType.Write(writer, setMembers);
                        else
                            StoredValueFormat.WriteValue(writer, entry.Value);
                        writer.Write(entry.Version);
                        writer.Write(entry.ExpiresAt);
                    }
                    writer.Write(snapshot.RecentRequests.Count);
                    foreach (var (id, reply) in snapshot.RecentRequests)
                    {
                        StoredValueFormat.WriteGuid(writer, id);
                        StoredValueFormat.WriteReply(writer, reply);
                    }
                    writer.Write(snapshot.NextVersion);
                    writer.Write(snapshot.Evictions);
                    // From format 5 on, the sliding list is there, if only as a count of 0.
                    if (version >= SlidingSince5)
                    {
                        var sliding = snapshot.Sliding ?? [];
                        writer.Write(sliding.Count);
                        foreach (var window in sliding)
                        {
                            StoredValueFormat.WriteKey(writer, window.Key);
                            writer.Write(window.WindowMs);
                            writer.Write(window.NotAfter);
                        }
                    }
                    break;
                default:
                    throw new ArgumentException($"StoredDataSerializer cannot store {obj.GetType()}");
            }
        }
        return stream.ToArray();
    }

    private static byte VersionFor(object obj) => HoldsTransaction(obj) ? FormatVersion : HoldsCollection(obj) ? CollectionsSince8 : HoldsHash(obj) ? HashesSince7 : BinaryKeys.In(obj) ? BinaryKeysSince6 : obj switch
    {
        PartitionSnapshot { Sliding.Count: > 0 } => SlidingSince5,
        PartitionChanged changed when Slides(changed) => SlidingSince5,
        PartitionBurst burst => burst.Writes.Any(Slides) ? SlidingSince5 : BurstsSince4,
        _ => UnchangedSince3,
    };

    private static bool HoldsHash(object obj) => obj switch
    {
        PartitionChanged changed => HoldsHash(changed),
        PartitionBurst burst => burst.Writes.Any(HoldsHash),
        PartitionSnapshot snapshot => snapshot.Entries.Any(e => e.Hash is not null),
        _ => false,
    };

    // A reply that format 9 added: a release that reads 8 must refuse it.
    private static bool HoldsTransaction(object obj) => obj switch
    {
        PartitionChanged changed => StoredReplies.IsTransaction(changed.Reply),
        PartitionBurst burst => burst.Writes.Any(w => StoredReplies.IsTransaction(w.Reply)),
        PartitionSnapshot snapshot => snapshot.RecentRequests.Any(r => StoredReplies.IsTransaction(r.Value)),
        _ => false,
    };

    // A type that format 8 added: a release that reads 7 must refuse it, not skip an unknown kind.
    private static bool HoldsCollection(object obj) => obj switch
    {
        PartitionChanged changed => HoldsCollection(changed),
        PartitionBurst burst => burst.Writes.Any(HoldsCollection),
        PartitionSnapshot snapshot => snapshot.Entries.Any(e => e.List is not null || e.SortedSet is not null || e.Set is not null)
            || snapshot.RecentRequests.Any(r => IsCollectionReply(r.Value)),
        _ => false,
    };

    // A pop that empties a collection journals only a removal, but its reply holds the elements: still format 8.
    private static bool HoldsCollection(PartitionChanged changed) =>
        IsCollectionReply(changed.Reply)
        || changed.Changes.Any(c => c is ListPushed or ListTrimmed or ListEdited or ListReplaced
            or ZSetMembersScored or ZSetMembersRemoved or ZSetReplaced or SetMembersAdded or SetMembersRemoved or SetReplaced);

    private static bool IsCollectionReply(ICacheReply? reply) =>
        reply is ListItems or KeyedListItems or SortedSetEntries or SortedSetPopped or SortedSetScore or SetMembers;

    private static bool HoldsHash(PartitionChanged changed) => changed.Changes.Any(c => c is HashFieldsSet or HashFieldsRemoved or HashReplaced);

    private static bool Slides(PartitionChanged changed) => changed.Changes.Any(c => c is EntrySliding);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var version = reader.ReadByte();
        if (version is < 1 or > FormatVersion)
            throw new SerializationException($"Stored data format version {version} is not one this DistCache understands (1-{FormatVersion})");

        switch (manifest)
        {
            case PartitionChangedManifest:
                return ReadChanged(reader);
            case PartitionBurstManifest:
                var writes = new PartitionChanged[reader.ReadInt32()];
                for (var i = 0; i < writes.Length; i++)
                    writes[i] = ReadChanged(reader);
                return new PartitionBurst(writes);
            case ValueWrittenManifest:
                var key = StoredValueFormat.ReadKey(reader);
                var value = StoredValueFormat.ReadValue(reader);
                return LegacyEvents.Upcast(version >= 2
                    ? new ValueWritten(key, value, StoredValueFormat.ReadGuid(reader), reader.ReadBoolean())
                    : new ValueWritten(key, value));
            case KeyRemovedManifest:
                var removed = StoredValueFormat.ReadKey(reader);
                return LegacyEvents.Upcast(version >= 2 ? new KeyRemoved(removed, StoredValueFormat.ReadGuid(reader)) : new KeyRemoved(removed));
            case SnapshotManifest:
                return ReadSnapshot(reader, version);
            default:
                throw new SerializationException($"Unknown stored data manifest '{manifest}'");
        }
    }

    private static void WriteChanged(BinaryWriter writer, PartitionChanged changed)
    {
        StoredValueFormat.WriteGuid(writer, changed.RequestId);
        StoredValueFormat.WriteReply(writer, changed.Reply);
        writer.Write(changed.Changes.Length);
        foreach (var change in changed.Changes)
            StoredValueFormat.WriteChange(writer, change);
    }

    private static PartitionChanged ReadChanged(BinaryReader reader)
    {
        var requestId = StoredValueFormat.ReadGuid(reader);
        var reply = StoredValueFormat.ReadReply(reader);
        var changes = new EntryChange[reader.ReadInt32()];
        for (var i = 0; i < changes.Length; i++)
            changes[i] = StoredValueFormat.ReadChange(reader);
        return new PartitionChanged(requestId, reply, changes);
    }

    // Optimized at once: recovery reads a million keys through it right after start-up (as SqliteReplay.Replay).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PartitionSnapshot ReadSnapshot(BinaryReader reader, byte version)
    {
        var entries = new SnapshotEntry[reader.ReadInt32()];
        for (var i = 0; i < entries.Length; i++)
        {
            var key = StoredValueFormat.ReadKey(reader);
            // From 7 on the value starts with its type's tag: a string's ValueKind, a hash's, or (8) a list's, a sorted set's or a set's.
            var tag = version >= HashesSince7 ? reader.ReadByte() : (byte?)null;
            var hash = tag == HashType.StoredTag ? HashType.ReadFields(reader) : null;
            var list = tag == ListType.StoredTag ? ListType.ReadElements(reader) : null;
            var sortedSet = tag == SortedSetType.StoredTag ? SortedSetType.ReadMembers(reader) : null;
            var set = tag == SetType.StoredTag ? SetType.ReadMembers(reader) : null;
            var value = hash is not null || list is not null || sortedSet is not null || set is not null ? SnapshotEntry.NoValue
                : tag is { } kind ? StoredValueFormat.ReadValueAfterKind(reader, kind)
                : StoredValueFormat.ReadValue(reader);
            entries[i] = version >= 3
                ? new SnapshotEntry(key, value, reader.ReadInt64(), reader.ReadInt64(), hash, list, sortedSet, set)
                : new SnapshotEntry(key, value, 0, 0);
        }
        var requests = version >= 2 ? new KeyValuePair<Guid, ICacheReply>[reader.ReadInt32()] : [];
        for (var i = 0; i < requests.Length; i++)
            requests[i] = new(StoredValueFormat.ReadGuid(reader), StoredValueFormat.ReadReply(reader)!);
        if (version < 3)
            return new PartitionSnapshot(entries, requests);
        var nextVersion = reader.ReadInt64();
        var evictions = reader.ReadInt64();
        var windows = version >= 5 ? new SnapshotSliding[reader.ReadInt32()] : [];
        for (var i = 0; i < windows.Length; i++)
            windows[i] = new SnapshotSliding(StoredValueFormat.ReadKey(reader), reader.ReadInt64(), reader.ReadInt64());
        return new PartitionSnapshot(entries, requests, nextVersion, evictions, windows);
    }
}
