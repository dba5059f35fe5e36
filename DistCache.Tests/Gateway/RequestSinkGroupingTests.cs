using Akka.TestKit.Xunit2;
using DistCache.Actors.Gateway;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Gateway;

/// <summary>A command over many keys (DEL, EXISTS, TOUCH) reaches each partition as one message holding
/// that partition's keys, local partitions directly and the others through the region, and its replies
/// come back in the command's order.</summary>
public sealed class RequestSinkGroupingTests : TestKit
{
    private const int Partitions = 8;

    [Fact]
    public async Task Keys_of_one_command_reach_each_partition_in_one_message()
    {
        var region = CreateTestProbe();
        var gateway = CreateTestProbe();
        var partitionZero = CreateTestProbe();
        var local = new LocalPartitions(Partitions);
        local.Serving(0, partitionZero.Ref);
        using var sink = new NodeRequests(Sys, gateway.Ref, region.Ref, local, PartitionLimits.Default, Partitions,
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)).Open();
        var keys = Enumerable.Range(0, 200).Select(i => (CacheKey)("group:" + i)).ToArray();
        var byPartition = keys.GroupBy(k => KeyHasher.PartitionOf(k, Partitions)).ToDictionary(g => g.Key, g => g.ToArray());
        Assert.Equal(Partitions, byPartition.Count);

        var running = sink.ExecuteAllAsync(keys.Select(k => (IClientCommand)new KeyExists(k)).ToArray());

        var groups = new List<PartitionRequests> { partitionZero.ExpectMsg<PartitionRequests>() };
        for (var i = 1; i < Partitions; i++)
            groups.Add(region.ExpectMsg<PartitionRequests>());
        var replyTo = region.LastSender;
        region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        partitionZero.ExpectNoMsg(TimeSpan.Zero);
        gateway.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal(Enumerable.Range(0, Partitions), groups.Select(g => g.Partition).Order());
        foreach (var group in groups)
        {
            Assert.Equal(byPartition[group.Partition], group.Requests.Select(r => ((KeyExists)r.Command).Key));
            Assert.All(group.Requests, r => Assert.Equal(group.Partition, r.Partition));
        }

        // Each request is answered alone; a key "exists" here when its number is even.
        foreach (var request in groups.SelectMany(g => g.Requests))
        {
            var key = ((KeyExists)request.Command).Key.ToString();
            replyTo.Tell(new ClientResponse(request.CorrelationId, new Existence(int.Parse(key!["group:".Length..]) % 2 == 0)), Akka.Actor.ActorRefs.NoSender);
        }
        var replies = await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i % 2 == 0), replies.Select(r => ((Existence)r).Exists));
    }
}
