using System.Collections.Concurrent;
using System.Diagnostics;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp.PubSub;

/// <summary>Keyspace notifications across the shared 3-node cluster: CONFIG SET on one node turns them on for
/// all, redis-cli subscribed on another prints what writes through a third made, line for line as it printed
/// redis-server 7.0.15's for the same commands (docs/keyspace-events-redis-7.0.15.txt), expiry included.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespKeyspaceEventsClusterTests(RespClusterFixture fixture)
{
    private readonly string _tag = "{ks:" + Guid.NewGuid().ToString("N")[..8] + "}";

    private async Task<ConnectionMultiplexer> ConnectAsync(int node)
    {
        var options = ConfigurationOptions.Parse(fixture.Endpoint(node));
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        options.AllowAdmin = true; // CONFIG
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    [Fact]
    public async Task Config_set_on_one_node_makes_every_node_publish_redis_s_events_for_writes_and_expiry()
    {
        await using var admin = await ConnectAsync(2);
        await using var writer = await ConnectAsync(1);
        var db = writer.GetDatabase();
        using var subscriber = new Process
        {
            StartInfo = new ProcessStartInfo("redis-cli", ["-p", fixture.Servers[0].Port.ToString(), "PSUBSCRIBE", "__key*__:*"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
        };
        try
        {
            await admin.GetDatabase().ExecuteAsync("CONFIG", "SET", "notify-keyspace-events", "KEA");
            for (var node = 0; node < 3; node++)
            {
                await using var connection = await ConnectAsync(node);
                var server = connection.GetServer(fixture.Endpoint(node));
                await Eventually.TrueAsync(async () => (await server.ConfigGetAsync("notify-keyspace-events")).Single().Value == "AKE",
                    $"node {node} has the setting", TimeSpan.FromSeconds(30));
            }
            var lines = new ConcurrentQueue<string>();
            subscriber.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            subscriber.Start();
            subscriber.BeginOutputReadLine();
            await Eventually.TrueAsync(() => Task.FromResult(lines.Contains("1")), "redis-cli has subscribed", TimeSpan.FromSeconds(30));

            await db.ExecuteAsync("SET", _tag + "k", "v", "EX", "100");
            await db.ExecuteAsync("LPUSH", _tag + "l", "a", "b");
            await db.ExecuteAsync("LPOP", _tag + "l", "2");
            await db.ExecuteAsync("HSET", _tag + "h", "f", "v");
            await db.ExecuteAsync("SET", _tag + "k", "w", "NX"); // a write that changes nothing emits nothing
            await db.ExecuteAsync("DEL", _tag + "k");
            var exec = db.CreateTransaction();
            _ = exec.ExecuteAsync("INCR", _tag + "n");
            _ = exec.ExecuteAsync("HDEL", _tag + "h", "f");
            Assert.True(await exec.ExecuteAsync());
            await db.ExecuteAsync("SET", _tag + "t", "v", "PX", "50");

            string[] events =
            [
                "k set", "k expire", "l lpush", "l lpop", "l del", "h hset", "k del",
                "n incrby", "h hdel", "h del", "t set", "t expire", "t expired",
            ];
            var expected = events.SelectMany(e => e.Split(' ') is [var key, var name]
                ? new[] { "pmessage", "__key*__:*", "__keyspace@0__:" + _tag + key, name, "pmessage", "__key*__:*", "__keyevent@0__:" + name, _tag + key }
                : []).ToArray();
            await Eventually.TrueAsync(() => Task.FromResult(Ours(lines).Length >= expected.Length), "every event has arrived", TimeSpan.FromSeconds(30));
            Assert.Equal(expected, Ours(lines));
        }
        finally
        {
            await admin.GetDatabase().ExecuteAsync("CONFIG", "SET", "notify-keyspace-events", "");
            if (!subscriber.HasExited)
            {
                try
                {
                    subscriber.Kill();
                    await subscriber.WaitForExitAsync();
                }
                catch (InvalidOperationException)
                {
                    // Never started.
                }
            }
        }
    }

    // redis-cli prints a pmessage as four lines; only this test's keys count (another class's key may expire meanwhile).
    private string[] Ours(ConcurrentQueue<string> lines)
    {
        var all = lines.ToArray();
        var start = Array.IndexOf(all, "1") + 1;
        var ours = new List<string>();
        for (var i = start; i + 4 <= all.Length; i += 4)
            if (all[i + 2].Contains(_tag) || all[i + 3].Contains(_tag))
                ours.AddRange(all.AsSpan(i, 4).ToArray());
        return ours.ToArray();
    }
}
