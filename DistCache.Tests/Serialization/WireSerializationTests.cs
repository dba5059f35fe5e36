using DistCache.Wire;
using Akka.Actor;
using Akka.Serialization;
using DistCache.Actors.Cluster;
using DistCache.Protocol;
using DistCache.Actors.Serialization;

namespace DistCache.Tests.Serialization;

public sealed class WireSerializationTests : Akka.TestKit.Xunit2.TestKit
{
    public WireSerializationTests()
        : base(WireConfig.Setup(Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local")
            .WithFallback(WireConfig.Build(1024))))
    {
    }

    [Fact]
    public void Protocol_messages_travel_with_hyperion_and_round_trip()
    {
        var request = new ClientRequest(7, new SetValue("k", new CacheValue(ValueKind.String, [104, 105])));
        var serializer = Sys.Serialization.FindSerializerFor(request);
        Assert.IsType<DistCacheWireSerializer>(serializer);
        var copy = Assert.IsType<ClientRequest>(serializer.FromBinary(serializer.ToBinary(request), typeof(ClientRequest)));
        Assert.Equal(7, copy.CorrelationId);
        var set = Assert.IsType<SetValue>(copy.Command);
        Assert.Equal([104, 105], set.Value.Data);

        var response = new ClientResponse(9, new Rejected(CacheErrorCode.KeyTooLong, 2000, 1024));
        var back = Assert.IsType<ClientResponse>(serializer.FromBinary(serializer.ToBinary(response), typeof(ClientResponse)));
        Assert.Equal(response, back);
    }

    [Fact]
    public void Multi_key_messages_with_arrays_round_trip()
    {
        var withTtl = new ClientRequest(5, new SetValue("k", new CacheValue(ValueKind.String, [1]), Expiry.After(TimeSpan.FromSeconds(3)), SetCondition.IfAbsent), Guid.NewGuid());
        var ttlCopy = Assert.IsType<ClientRequest>(new DistCacheWireSerializer((ExtendedActorSystem)Sys)
            .FromBinary(Sys.Serialization.FindSerializerFor(withTtl).ToBinary(withTtl), typeof(ClientRequest)));
        Assert.Equal(Expiry.After(TimeSpan.FromSeconds(3)), Assert.IsType<SetValue>(ttlCopy.Command).Expiry);
        Assert.Equal(withTtl.RequestId, ttlCopy.RequestId);
        var set = new ClientRequest(3, new MultiSet([new KeyedValue("a", new CacheValue(ValueKind.Bytes, [1]))]));
        var values = new ClientResponse(4, new Values([new CacheValue(ValueKind.String, [2]), null]));
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        var sender = Sys.Serialization.FindSerializerFor(set);
        var setCopy = Assert.IsType<ClientRequest>(receiver.FromBinary(sender.ToBinary(set), typeof(ClientRequest)));
        Assert.Equal("a", Assert.IsType<MultiSet>(setCopy.Command).Entries.Single().Key);
        var valuesCopy = Assert.IsType<ClientResponse>(receiver.FromBinary(sender.ToBinary(values), typeof(ClientResponse)));
        Assert.Null(Assert.IsType<Values>(valuesCopy.Reply).Items[1]);
    }

    [Fact]
    public void Set_messages_and_replies_round_trip()
    {
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        T Copy<T>(T message) where T : notnull =>
            Assert.IsType<T>(receiver.FromBinary(Sys.Serialization.FindSerializerFor(message).ToBinary(message), typeof(T)));

        var store = Assert.IsType<SetStore>(Copy(new ClientRequest(1, new SetStore("d", ["a", "b"], SetOperation.Difference), Guid.NewGuid())).Command);
        Assert.Equal((SetOperation.Difference, "a,b"), (store.Operation, string.Join(",", store.Sources)));
        Assert.Equal([true, false], Assert.IsType<MemberFlags>(Copy(new ClientResponse(2, new MemberFlags([true, false]))).Reply).Found);
        Assert.Equal("m", Assert.Single(Assert.IsType<SetMembers>(Copy(new ClientResponse(3, new SetMembers(["m"]))).Reply).Members).ToString());
        var page = Assert.IsType<SetPage>(Copy(new ClientResponse(4, new SetPage(["x"], "x"))).Reply);
        Assert.Equal("x", page.Next.ToString());
        Assert.Equal(new SetPop("s", 2), Copy(new ClientRequest(5, new SetPop("s", 2))).Command);
    }

    [Fact]
    public void A_transaction_and_its_result_cross_the_wire_with_their_commands_and_replies()
    {
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        T Copy<T>(T message) where T : notnull =>
            Assert.IsType<T>(receiver.FromBinary(Sys.Serialization.FindSerializerFor(message).ToBinary(message), typeof(T)));

        var tx = Assert.IsType<Transaction>(Copy(new ClientRequest(1, new Transaction(
            [new IncrementBy("{t}a", 2), new MultiGetPart(0, ["{t}a", "{t}b"])], [new WatchedKey("{t}w", 7)]), Guid.NewGuid())).Command);
        Assert.Equal(new IncrementBy("{t}a", 2), tx.Commands[0]);
        Assert.Equal(["{t}a", "{t}b"], Assert.IsType<MultiGetPart>(tx.Commands[1]).Keys.Select(k => k.ToString()));
        Assert.Equal(new WatchedKey("{t}w", 7), Assert.Single(tx.Watches));
        var result = Assert.IsType<TransactionResult>(Copy(new ClientResponse(2, new TransactionResult([new CounterValue(2), new Rejected(CacheErrorCode.WrongType)]))).Reply);
        Assert.Equal([new CounterValue(2), new Rejected(CacheErrorCode.WrongType)], result.Replies!);
        Assert.False(Assert.IsType<TransactionResult>(Copy(new ClientResponse(3, TransactionResult.Aborted)).Reply).Committed);
        Assert.Equal([3L, 0L], Assert.IsType<KeyVersionList>(Copy(new ClientResponse(4, new KeyVersionList([3, 0]))).Reply).Versions);
    }

    [Fact]
    public void Binary_keys_cross_the_wire_byte_for_byte()
    {
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        T Copy<T>(T message) where T : notnull =>
            Assert.IsType<T>(receiver.FromBinary(Sys.Serialization.FindSerializerFor(message).ToBinary(message), typeof(T)));

        var request = Copy(new ClientRequest(1, new RenameKey(new CacheKey([0xff, 0x00]), new CacheKey([0xc0, 0x80]))));
        Assert.Equal(new RenameKey(new CacheKey([0xff, 0x00]), new CacheKey([0xc0, 0x80])), request.Command);
        var page = Copy(new ClientResponse(2, new KeyPage([new CacheKey([0xff]), new CacheKey([0xfe]), "k"], "0")));
        Assert.Equal([new CacheKey([0xff]), new CacheKey([0xfe]), "k"], Assert.IsType<KeyPage>(page.Reply).Keys);
        var part = Copy(new ClientRequest(3, new ScanPart(1, new CacheKey([0xfe]), 10)));
        Assert.Equal(new CacheKey([0xfe]), Assert.IsType<ScanPart>(part.Command).After);
        Assert.True(Assert.IsType<GetValue>(Copy(new ClientRequest(4, new GetValue(default))).Command).Key.IsNull);
    }

    [Fact]
    public void A_key_travels_as_its_bytes_without_its_type_name()
    {
        var request = new ClientRequest(1, new GetValue("key:000000000042"), Guid.NewGuid(), 5, 3);
        var bytes = Sys.Serialization.FindSerializerFor(request).ToBinary(request);
        Assert.DoesNotContain("CacheKey", System.Text.Encoding.Latin1.GetString(bytes));
        var copy = Assert.IsType<ClientRequest>(new DistCacheWireSerializer((ExtendedActorSystem)Sys).FromBinary(bytes, typeof(ClientRequest)));
        Assert.Equal(request, copy);
    }

    [Fact]
    public void Request_and_reply_batches_round_trip()
    {
        var batch = new ClientRequestBatch([
            new ClientRequest(1, new GetValue("a")),
            new ClientRequest(2, new IncrementBy("b", 3), Guid.NewGuid()),
        ]);
        var replies = new ClientResponseBatch([new ClientResponse(1, new Found(null)), new ClientResponse(2, new CounterValue(3))]);
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        var batchCopy = Assert.IsType<ClientRequestBatch>(receiver.FromBinary(Sys.Serialization.FindSerializerFor(batch).ToBinary(batch), typeof(ClientRequestBatch)));
        Assert.Equal(batch.Requests, batchCopy.Requests);
        var repliesCopy = Assert.IsType<ClientResponseBatch>(receiver.FromBinary(Sys.Serialization.FindSerializerFor(replies).ToBinary(replies), typeof(ClientResponseBatch)));
        Assert.Equal(replies.Responses, repliesCopy.Responses);
    }

    [Fact]
    public void The_owner_table_round_trips_through_a_fresh_serializer()
    {
        var owners = new PartitionOwners(["akka.tcp://distcache@127.0.0.1:4053/user/gateway"], [0, -1, 0]);
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        var copy = Assert.IsType<PartitionOwners>(receiver.FromBinary(Sys.Serialization.FindSerializerFor(owners).ToBinary(owners), typeof(PartitionOwners)));
        Assert.Equal(owners.Gateways, copy.Gateways);
        Assert.Equal(owners.OwnerOfPartition, copy.OwnerOfPartition);
        Assert.IsType<GetPartitionOwners>(receiver.FromBinary(receiver.ToBinary(GetPartitionOwners.Instance), typeof(GetPartitionOwners)));
    }

    [Fact]
    public void Only_protocol_types_are_accepted()
    {
        Assert.True(ProtocolTypeFilter.Instance.IsAllowed("DistCache.Protocol.ClientRequest, DistCache.Client"));
        Assert.True(ProtocolTypeFilter.Instance.IsAllowed(
            "DistCache.Protocol.ClientRequest, DistCache.Client, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"));
        Assert.False(ProtocolTypeFilter.Instance.IsAllowed("System.Diagnostics.Process, System.Diagnostics.Process"));
        // Server-only types (journal events) are not protocol types, even in a protocol-like namespace.
        Assert.False(ProtocolTypeFilter.Instance.IsAllowed("DistCache.Actors.Partitions.PartitionChanged, DistCache.Actors"));
        Assert.False(ProtocolTypeFilter.Instance.IsAllowed("DistCache.Protocol.ClientRequest, DistCache.Actors"));
        Assert.False(ProtocolTypeFilter.Instance.IsAllowed("System.IO.FileInfo, System.Private.CoreLib"));
        Assert.False(ProtocolTypeFilter.Instance.IsAllowed("System.IO.FileInfo, System.Private.CoreLib,%core%"));
        Assert.True(ProtocolTypeFilter.Instance.IsAllowed("System.TimeSpan, System.Private.CoreLib,%core%"));
    }

    [Fact]
    public void The_start_up_warm_up_round_trips_every_protocol_message_type()
    {
        var messageTypes = typeof(IDistCacheMessage).Assembly.GetTypes()
            .Count(t => typeof(IDistCacheMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.Namespace == "DistCache.Protocol");
        Assert.True(messageTypes > 30, $"{messageTypes} message types");
        // Every message type at least (data types such as CacheValue come on top).
        Assert.True(WireWarmUp.Run(Sys) >= messageTypes);
    }

    [Fact]
    public void A_message_carrying_a_foreign_type_is_refused()
    {
        // A protocol message smuggling a non-protocol object in a field typed as an interface.
        var evil = new ClientRequest(1, new Smuggler("k"));
        var serializer = (DistCacheWireSerializer)Sys.Serialization.FindSerializerFor(evil);
        Assert.Same(ProtocolTypeFilter.Instance, serializer.Settings.TypeFilter);
        var bytes = serializer.ToBinary(evil);
        // A fresh serializer, as on the receiving node, which has never seen the type.
        var receiver = new DistCacheWireSerializer((ExtendedActorSystem)Sys);
        Assert.ThrowsAny<Exception>(() => receiver.FromBinary(bytes, typeof(ClientRequest)));
        var honest = receiver.ToBinary(new ClientRequest(2, new GetValue("k")));
        Assert.IsType<GetValue>(Assert.IsType<ClientRequest>(receiver.FromBinary(honest, typeof(ClientRequest))).Command);
    }

    public sealed record Smuggler(CacheKey Key) : ICacheCommand;
}
