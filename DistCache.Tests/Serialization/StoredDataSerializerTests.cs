using Akka.Actor;
using Akka.Serialization;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Actors.Serialization;

namespace DistCache.Tests.Serialization;

public sealed class StoredDataSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    private StoredDataSerializer Serializer => new((ExtendedActorSystem)Sys);

    private T RoundTrip<T>(T value) where T : notnull
    {
        var bytes = Serializer.ToBinary(value);
        return (T)Serializer.FromBinary(bytes, Serializer.Manifest(value));
    }

    private object ReadBack(object value) => Serializer.FromBinary(Serializer.ToBinary(value), Serializer.Manifest(value));

    [Fact]
    public void Events_round_trip()
    {
        var id = Guid.NewGuid();
        // Format 1-2 events come back as the write they were, upcast where they are read.
        var written = Assert.IsType<PartitionChanged>(ReadBack(new ValueWritten("ключ", new CacheValue(ValueKind.Object, [1, 2, 3]), id, IsCounter: true)));
        Assert.Equal(id, written.RequestId);
        Assert.Equal(Stored.Instance, written.Reply);
        var set = Assert.IsType<EntrySet>(Assert.Single(written.Changes));
        Assert.Equal(("ключ", ValueKind.Object, 0L), (set.Key.ToString(), set.Value.Kind, set.ExpiresAt));
        Assert.Equal([1, 2, 3], set.Value.Data);
        var counter = Assert.IsType<PartitionChanged>(ReadBack(new ValueWritten("n", IntegerValue.From(7), id, IsCounter: true)));
        Assert.Equal(new CounterValue(7), counter.Reply);
        var removed = Assert.IsType<PartitionChanged>(ReadBack(new KeyRemoved("k", id)));
        Assert.Equal((id, (ICacheReply?)new Deleted(true)), (removed.RequestId, removed.Reply));
        Assert.Equal(new EntryRemoved("k"), Assert.Single(removed.Changes));
        Assert.Equal(Guid.Empty, Assert.IsType<PartitionChanged>(ReadBack(new KeyRemoved("k"))).RequestId);
    }

    [Fact]
    public void A_write_with_all_its_changes_round_trips()
    {
        var id = Guid.NewGuid();
        var changed = RoundTrip(new PartitionChanged(id, new CounterValue(5), [
            new EntryRemoved("old", Evicted: true),
            new EntrySet("k", new CacheValue(ValueKind.String, [104]), 1_800_000_000_000),
            new EntryExpiry("k", 0),
            AllRemoved.Instance,
        ]));
        Assert.Equal(id, changed.RequestId);
        Assert.Equal(new CounterValue(5), changed.Reply);
        Assert.Equal(new EntryRemoved("old", true), changed.Changes[0]);
        var set = Assert.IsType<EntrySet>(changed.Changes[1]);
        Assert.Equal(("k", 1_800_000_000_000L, (byte)104), (set.Key, set.ExpiresAt, set.Value.Data[0]));
        Assert.Equal(new EntryExpiry("k", 0), changed.Changes[2]);
        Assert.Same(AllRemoved.Instance, changed.Changes[3]);
    }

    [Fact]
    public void Snapshot_round_trips_every_entry()
    {
        var entries = Enumerable.Range(0, 100)
            .Select(i => new SnapshotEntry("k" + i, IntegerValue.From(i), Version: i + 1, ExpiresAt: i % 2 == 0 ? 0 : 1_700_000_000_000 + i))
            .ToArray();
        var first = Guid.NewGuid();
        var requests = new KeyValuePair<Guid, ICacheReply>[]
        {
            new(first, Stored.Instance), new(Guid.NewGuid(), new Deleted(true)), new(Guid.NewGuid(), new CounterValue(-7)),
            new(Guid.NewGuid(), new Written(false)), new(Guid.NewGuid(), new Found(new CacheValue(ValueKind.Bytes, [9]))),
            new(Guid.NewGuid(), new Found(null)), new(Guid.NewGuid(), new CasResult(true, 12)), new(Guid.NewGuid(), new Existence(true)),
        };
        var copy = RoundTrip(new PartitionSnapshot(entries, requests, NextVersion: 101, Evictions: 3));
        Assert.Equal(100, copy.Entries.Count);
        Assert.True(IntegerValue.TryRead(copy.Entries[42].Value, out var n));
        Assert.Equal(42, n);
        Assert.Equal(43, copy.Entries[42].Version);
        Assert.Equal(1_700_000_000_043, copy.Entries[43].ExpiresAt);
        Assert.Equal(101, copy.NextVersion);
        Assert.Equal(3, copy.Evictions);
        Assert.Equal(requests.Length, copy.RecentRequests.Count);
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(requests[i].Key, copy.RecentRequests[i].Key);
            if (requests[i].Value is Found { Value: { } v })
                Assert.Equal(v.Data, Assert.IsType<Found>(copy.RecentRequests[i].Value).Value!.Data);
            else
                Assert.Equal(requests[i].Value, copy.RecentRequests[i].Value);
        }
    }

    [Fact]
    public void Events_and_snapshots_are_bound_to_it_not_to_hyperion()
    {
        var serialization = Sys.Serialization;
        Assert.IsType<StoredDataSerializer>(serialization.FindSerializerFor(new KeyRemoved("k")));
        Assert.IsType<StoredDataSerializer>(serialization.FindSerializerFor(new PartitionBurst([])));
        Assert.IsType<StoredDataSerializer>(serialization.FindSerializerFor(new PartitionSnapshot([], [])));
    }

    [Fact]
    public void Version_1_data_without_request_ids_is_still_read()
    {
        // Layout of format 1: version, key, kind, length, data.
        var v1 = new byte[] { 1, 1, (byte)'k', (byte)ValueKind.String, 2, 0, 0, 0, (byte)'h', (byte)'i' };
        var written = Assert.IsType<PartitionChanged>(Serializer.FromBinary(v1, "vw"));
        Assert.Equal(Guid.Empty, written.RequestId);
        var set = Assert.IsType<EntrySet>(Assert.Single(written.Changes));
        Assert.Equal("k", set.Key);
        Assert.Equal("hi"u8.ToArray(), set.Value.Data);
    }

    [Fact]
    public void A_burst_of_writes_round_trips_with_each_request_id_and_reply()
    {
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var burst = new PartitionBurst([
            new PartitionChanged(ids[0], Stored.Instance, [new EntrySet("a", new CacheValue(ValueKind.String, [49]), 0)]),
            new PartitionChanged(ids[1], new CounterValue(-3), [new EntrySet("n", IntegerValue.From(-3), 1_800_000_000_000)]),
            new PartitionChanged(ids[2], new Deleted(true), [new EntryRemoved("old", Evicted: true), new EntryRemoved("a")]),
        ]);
        var bytes = Serializer.ToBinary(burst);
        Assert.Equal("pb", Serializer.Manifest(burst));
        Assert.Equal(4, bytes[0]);

        var copy = Assert.IsType<PartitionBurst>(Serializer.FromBinary(bytes, "pb"));
        Assert.Equal(3, copy.Writes.Length);
        Assert.Equal(ids, copy.Writes.Select(w => w.RequestId));
        Assert.Equal(new ICacheReply[] { Stored.Instance, new CounterValue(-3), new Deleted(true) }, copy.Writes.Select(w => w.Reply));
        var set = Assert.IsType<EntrySet>(Assert.Single(copy.Writes[1].Changes));
        Assert.Equal(("n", 1_800_000_000_000L), (set.Key, set.ExpiresAt));
        Assert.True(IntegerValue.TryRead(set.Value, out var n) && n == -3);
        Assert.Equal([new EntryRemoved("old", true), new EntryRemoved("a")], copy.Writes[2].Changes);
    }

    [Fact]
    public void Layouts_that_did_not_change_are_still_written_as_format_3()
    {
        // So a release that reads format 3 still reads a lone write and a snapshot (a planned stop leaves
        // only a snapshot): only bursts need format 4.
        Assert.Equal(3, Serializer.ToBinary(new PartitionChanged(Guid.NewGuid(), Stored.Instance, [AllRemoved.Instance]))[0]);
        Assert.Equal(3, Serializer.ToBinary(new PartitionSnapshot([], []))[0]);
    }

    [Fact]
    public void Sliding_windows_round_trip_in_events_and_snapshots_as_format_5()
    {
        var write = new PartitionChanged(Guid.Empty, null, [new EntryExpiry("s", 1_800_000_010_000), new EntrySliding("s", 10_000, 1_800_000_050_000)]);
        Assert.Equal(5, Serializer.ToBinary(write)[0]);
        var copy = RoundTrip(write);
        Assert.Equal(write.Changes, copy.Changes);
        Assert.Equal(5, Serializer.ToBinary(new PartitionBurst([write]))[0]);
        Assert.Equal(4, Serializer.ToBinary(new PartitionBurst([new PartitionChanged(Guid.Empty, null, [AllRemoved.Instance])]))[0]);

        var snapshot = new PartitionSnapshot([new SnapshotEntry("s", IntegerValue.From(1), 1, 1_800_000_010_000)], [], 2, 0,
            [new SnapshotSliding("s", 10_000, 0)]);
        Assert.Equal(5, Serializer.ToBinary(snapshot)[0]);
        var back = RoundTrip(snapshot);
        Assert.Equal(snapshot.Sliding, back.Sliding);
        Assert.Equal(2, back.NextVersion);
    }

    [Fact]
    public void A_format_3_write_event_is_still_read()
    {
        // Bytes as format 3 wrote them: version, request id, reply (counter 7), 1 change: set "n" to the
        // Int64 7, expiring at 0.
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var v3 = new List<byte> { 3 };
        v3.AddRange(id.ToByteArray());
        v3.AddRange([2, 7, 0, 0, 0, 0, 0, 0, 0]);
        v3.AddRange([1, 0, 0, 0]);
        v3.AddRange([1, 1, (byte)'n', (byte)ValueKind.Int64, 8, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0]);
        v3.AddRange([0, 0, 0, 0, 0, 0, 0, 0]);

        var changed = Assert.IsType<PartitionChanged>(Serializer.FromBinary(v3.ToArray(), "pc"));
        Assert.Equal(id, changed.RequestId);
        Assert.Equal(new CounterValue(7), changed.Reply);
        var set = Assert.IsType<EntrySet>(Assert.Single(changed.Changes));
        Assert.Equal(("n", 0L), (set.Key, set.ExpiresAt));
        Assert.True(IntegerValue.TryRead(set.Value, out var n) && n == 7);
        // And it is written the same way today, byte for byte.
        Assert.Equal(v3.ToArray(), Serializer.ToBinary(changed));
    }

    [Fact]
    public void A_newer_format_version_is_refused_rather_than_misread()
    {
        var bytes = Serializer.ToBinary(new KeyRemoved("k"));
        bytes[0] = 99;
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary(bytes, "kr"));
    }

    public StoredDataSerializerTests() : base(Actors.Cluster.HoconResources.NodeWire(1024))
    {
    }
}
