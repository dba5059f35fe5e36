using Akka.Configuration;
using System.Text;
using DistCache.Host.Resp;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Cluster;

/// <summary>Binary keys written through the Redis endpoint stay distinct and intact when their partitions
/// move off a leaving node (a snapshot on stop, recovery on the new owner) and when the whole cluster
/// restarts from the journal.</summary>
public sealed class BinaryKeyRecoveryTests
{
    [Fact]
    public async Task Binary_keys_survive_a_planned_move_and_a_full_restart()
    {
        var random = new Random(27);
        var keys = new Dictionary<string, byte[]>();
        foreach (var key in new byte[][] { [0xff], [0xfe], [0x00], [0xc0, 0x80], [(byte)'k', 0x00], [(byte)'k', 0x01], [0xef, 0xbf, 0xbd] })
            keys[Convert.ToHexString(key)] = key;
        while (keys.Count < 120)
        {
            var key = Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)).ToArray();
            keys.TryAdd(Convert.ToHexString(key), key);
        }

        // These nodes' Redis endpoints run on .NET's asynchronous sockets (io-threads = 0), the path other
        // operating systems take; every other RESP test runs on the event loops.
        // Standalone (cluster-mode off): one MGET reads every key back, which StackExchange.Redis refuses to send
        // across slots once a node says it is a cluster.
        await using var cluster = TestCluster.OnSqlite(ConfigurationFactory.ParseString("""
            distcache.resp.io-threads = 0
            distcache.resp.cluster-mode = off
            """));
        var staying = await cluster.StartNodeAsync();
        var leaving = await cluster.StartNodeAsync();
        // The coordinator hands the new node its shards within seconds of its start, not at once.
        await Eventually.TrueAsync(async () => await TestCluster.ShardCountAsync(leaving) > 0, "the leaving node holds partitions");
        await using (var server = RespServer.Start(leaving, "127.0.0.1", 0))
        await using (var redis = await ConnectAsync(server.Port))
        {
            var db = redis.GetDatabase();
            // The stream path has no descriptor to show: the setting took.
            Assert.Contains(" fd=-1 ", (string?)await db.ExecuteAsync("CLIENT", "INFO"));
            await Task.WhenAll(keys.Select(k => db.StringSetAsync(k.Value, k.Key)));
        }

        await leaving.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await using (var server = RespServer.Start(staying, "127.0.0.1", 0))
            await AssertAllReadBackAsync(server.Port, keys, "after the move");

        await cluster.StopAllAsync();
        var restarted = await cluster.StartNodeAsync();
        await using (var server = RespServer.Start(restarted, "127.0.0.1", 0))
            await AssertAllReadBackAsync(server.Port, keys, "after the restart");
    }

    private static async Task AssertAllReadBackAsync(int port, Dictionary<string, byte[]> keys, string when)
    {
        await using var redis = await ConnectAsync(port);
        var db = redis.GetDatabase();
        // Right after a move the partitions are still finding their new home and recovering: a read may
        // time out (and is asked again), but whatever is answered must be exactly what was written.
        RedisValue[]? values = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (values is null)
        {
            try
            {
                values = await db.StringGetAsync(keys.Values.Select(k => (RedisKey)k).ToArray());
            }
            catch (RedisServerException ex) when (ex.Message.Contains("got no reply") && DateTime.UtcNow < deadline)
            {
            }
        }
        Assert.True(keys.Keys.SequenceEqual(values.Select(v => (string?)v)), $"{when}: a binary key lost its value or read another's");
        Assert.Equal(keys.Count, await redis.GetServer($"127.0.0.1:{port}").DatabaseSizeAsync());
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(int port)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.AllowAdmin = true;
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 60_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
