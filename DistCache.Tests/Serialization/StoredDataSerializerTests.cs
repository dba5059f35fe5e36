using Akka.Actor;
using Akka.Serialization;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;
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

    [Fact]
    public void Events_round_trip()
    {
        var id = Guid.NewGuid();
        var written = RoundTrip(new ValueWritten("ключ", new CacheValue(ValueKind.Object, [1, 2, 3]), id, IsCounter: true));
        Assert.Equal("ключ", written.Key);
        Assert.Equal(id, written.RequestId);
        Assert.True(written.IsCounter);
        Assert.Equal(new KeyRemoved("k", id), RoundTrip(new KeyRemoved("k", id)));
        Assert.Equal(ValueKind.Object, written.Value.Kind);
        Assert.Equal([1, 2, 3], written.Value.Data);
        Assert.Equal(new KeyRemoved("k"), RoundTrip(new KeyRemoved("k")));
    }

    [Fact]
    public void Snapshot_round_trips_every_entry()
    {
        var entries = Enumerable.Range(0, 100)
            .Select(i => new KeyValuePair<string, CacheValue>("k" + i, IntegerValue.From(i)))
            .ToArray();
        var first = Guid.NewGuid();
        var requests = new KeyValuePair<Guid, ICacheReply>[]
        {
            new(first, Stored.Instance), new(Guid.NewGuid(), new Deleted(true)), new(Guid.NewGuid(), new CounterValue(-7)),
        };
        var copy = RoundTrip(new PartitionSnapshot(entries, requests));
        Assert.Equal(100, copy.Entries.Count);
        Assert.True(IntegerValue.TryRead(copy.Entries[42].Value, out var n));
        Assert.Equal(42, n);
        Assert.Equal(requests, copy.RecentRequests);
    }

    [Fact]
    public void Events_and_snapshots_are_bound_to_it_not_to_hyperion()
    {
        var serialization = Sys.Serialization;
        Assert.IsType<StoredDataSerializer>(serialization.FindSerializerFor(new KeyRemoved("k")));
        Assert.IsType<StoredDataSerializer>(serialization.FindSerializerFor(new PartitionSnapshot([], [])));
    }

    [Fact]
    public void Version_1_data_without_request_ids_is_still_read()
    {
        // Layout of format 1: version, key, kind, length, data.
        var v1 = new byte[] { 1, 1, (byte)'k', (byte)ValueKind.String, 2, 0, 0, 0, (byte)'h', (byte)'i' };
        var written = Assert.IsType<ValueWritten>(Serializer.FromBinary(v1, "vw"));
        Assert.Equal("k", written.Key);
        Assert.Equal(Guid.Empty, written.RequestId);
        Assert.Equal("hi"u8.ToArray(), written.Value.Data);
    }

    [Fact]
    public void A_newer_format_version_is_refused_rather_than_misread()
    {
        var bytes = Serializer.ToBinary(new KeyRemoved("k"));
        bytes[0] = 99;
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary(bytes, "kr"));
    }

    public StoredDataSerializerTests() : base(Actors.Cluster.WireConfig.Build(1024))
    {
    }
}
