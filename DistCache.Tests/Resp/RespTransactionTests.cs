using System.Net.Sockets;
using System.Text;
using DistCache.Tests.Support;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>MULTI/EXEC/DISCARD/WATCH/UNWATCH on the wire against the 3-node cluster, byte for byte as Redis 7
/// answers them (multi.c), through raw sockets, StackExchange.Redis's transactions with conditions (WATCH +
/// MULTI/EXEC underneath) and redis-cli. Keys share a hash tag so that they share a slot.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespTransactionTests(RespClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _tag = "{tx" + Guid.NewGuid().ToString("N")[..6] + "}";

    private string K(string name) => _tag + name;

    private string OtherSlot() =>
        Enumerable.Range(0, 1000).Select(i => $"elsewhere{i}").First(k => DistCache.Wire.KeySlot.Of(k) != DistCache.Wire.KeySlot.Of(K("a")));

    private static string Bulk(string text) => $"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n";

    private static string Request(params string[] args) => $"*{args.Length}\r\n" + string.Concat(args.Select(Bulk));

    private async Task<Socket> OpenAsync(int node) => await RawSocket.OpenAsync(fixture.Servers[node].Port);

    // Sends the commands pipelined and reads exactly the expected answer.
    private static async Task<string> Exchange(Socket socket, string expected, params string[][] commands)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(string.Concat(commands.Select(c => Request(c)))));
        // What arrived by the time the expected length is in, or when nothing more comes (to show the difference).
        var length = Encoding.UTF8.GetByteCount(expected);
        var buffer = new byte[length];
        var read = 0;
        try
        {
            while (read < length)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(read == 0 ? Patience : TimeSpan.FromSeconds(5));
                if (n == 0)
                    break;
                read += n;
            }
        }
        catch (TimeoutException)
        {
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static async Task Expect(Socket socket, string expected, params string[][] commands) =>
        Assert.Equal(expected, await Exchange(socket, expected, commands));

    private const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    [Fact]
    public async Task Exec_runs_the_queue_at_once_and_answers_a_runtime_error_in_its_slot_while_the_rest_applies()
    {
        using var socket = await OpenAsync(0);
        await Expect(socket,
            "+OK\r\n" + string.Concat(Enumerable.Repeat("+QUEUED\r\n", 7)) +
            "*7\r\n+OK\r\n:2\r\n" + WrongType + ":3\r\n" + Bulk("3") + "*2\r\n" + Bulk("3") + "$-1\r\n" + ":1\r\n" +
            "$-1\r\n",
            ["MULTI"], ["SET", K("n"), "1"], ["INCR", K("n")], ["LPUSH", K("n"), "x"], ["INCR", K("n")], ["GET", K("n")],
            ["MGET", K("n"), K("none")], ["DEL", K("none"), K("n")], ["EXEC"],
            ["GET", K("n")]);
        // DEL answered 1 (only n existed), and n is gone: the GET pipelined behind EXEC sees it.
    }

    [Fact]
    public async Task Queue_time_errors_abort_exec_and_the_control_commands_answer_as_redis()
    {
        using var socket = await OpenAsync(1);
        await Expect(socket,
            "-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n+OK\r\n-ERR MULTI calls can not be nested\r\n" +
            "-ERR WATCH inside MULTI is not allowed\r\n" +
            "-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n" +
            "-ERR wrong number of arguments for 'get' command\r\n+QUEUED\r\n" +
            "-EXECABORT Transaction discarded because of previous errors.\r\n$-1\r\n",
            ["EXEC"], ["DISCARD"], ["MULTI"], ["MULTI"], ["WATCH", K("a")], ["NOSUCH", "x"], ["GET"], ["SET", K("a"), "1"], ["EXEC"],
            ["GET", K("a")]);
        // DISCARD drops the queue; an empty transaction answers an empty array.
        await Expect(socket, "+OK\r\n+QUEUED\r\n+OK\r\n$-1\r\n+OK\r\n*0\r\n+OK\r\n+QUEUED\r\n*1\r\n+PONG\r\n",
            ["MULTI"], ["SET", K("a"), "1"], ["DISCARD"], ["GET", K("a")], ["MULTI"], ["EXEC"], ["MULTI"], ["PING"], ["EXEC"]);
    }

    [Fact]
    public async Task Keys_in_two_slots_answer_crossslot_and_what_cannot_run_in_one_partition_is_refused_when_queued()
    {
        const string crossSlot = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
        using var socket = await OpenAsync(2);
        // A command whose own keys are in two slots is refused as it is queued (Redis Cluster does it per command)…
        await Expect(socket, "+OK\r\n" + crossSlot + "-EXECABORT Transaction discarded because of previous errors.\r\n",
            ["MULTI"], ["MSET", K("a"), "1", OtherSlot(), "2"], ["EXEC"]);
        // …and a transaction whose commands are in two slots at EXEC (as Redis Cluster decides EXEC), applying nothing.
        await Expect(socket, "+OK\r\n+QUEUED\r\n+QUEUED\r\n" + crossSlot + "$-1\r\n",
            ["MULTI"], ["SET", K("a"), "1"], ["SET", OtherSlot(), "2"], ["EXEC"], ["GET", K("a")]);
        // Commands that span partitions or take many steps cannot be queued.
        await Expect(socket, "+OK\r\n-ERR Command not allowed inside a transaction\r\n-ERR Command not allowed inside a transaction\r\n" +
            "-EXECABORT Transaction discarded because of previous errors.\r\n",
            ["MULTI"], ["KEYS", "*"], ["DBSIZE"], ["EXEC"]);
    }

    [Fact]
    public async Task A_blocking_pop_inside_multi_does_not_block()
    {
        using var socket = await OpenAsync(0);
        await Expect(socket, "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n*-1\r\n:1\r\n*2\r\n" + Bulk(K("l")) + Bulk("x"),
            ["MULTI"], ["BLPOP", K("l"), "0"], ["RPUSH", K("l"), "x"], ["BLPOP", K("l"), "0"], ["EXEC"]);
    }

    [Fact]
    public async Task Exec_answers_nil_when_a_watched_key_changed_and_applies_the_queue_when_none_did()
    {
        using var watcher = await OpenAsync(0);
        using var other = await OpenAsync(1);
        await Expect(watcher, "+OK\r\n+OK\r\n", ["SET", K("w"), "1"], ["WATCH", K("w"), K("absent")]);
        await Expect(other, "+OK\r\n", ["SET", K("w"), "1"]); // the same value: still a write
        await Expect(watcher, "+OK\r\n+QUEUED\r\n*-1\r\n$-1\r\n",
            ["MULTI"], ["SET", K("x"), "1"], ["EXEC"], ["GET", K("x")]);
        // EXEC forgot the watches: the next transaction commits. A key missing then and now is unchanged.
        await Expect(watcher, "+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n", ["WATCH", K("absent")], ["MULTI"], ["SET", K("x"), "1"], ["EXEC"]);
        // UNWATCH forgets them too; a deletion is a change; RESP3 answers the aborted EXEC with its null.
        await Expect(watcher, "+OK\r\n+OK\r\n", ["WATCH", K("x")], ["UNWATCH"]);
        await Expect(other, ":1\r\n", ["DEL", K("x")]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n*1\r\n:1\r\n", ["MULTI"], ["INCR", K("x")], ["EXEC"]);
        // UNWATCH queued inside MULTI runs after EXEC checked the watches, as in Redis: it saves nothing.
        await Expect(watcher, "+OK\r\n", ["WATCH", K("x")]);
        await Expect(other, "+OK\r\n", ["SET", K("x"), "5"]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n+QUEUED\r\n*-1\r\n", ["MULTI"], ["UNWATCH"], ["INCR", K("x")], ["EXEC"]);
        await watcher.SendAsync(Encoding.UTF8.GetBytes(Request("HELLO", "3") + Request("PING")));
        await ReadUntilAsync(watcher, "+PONG\r\n");
        await Expect(watcher, "+OK\r\n", ["WATCH", K("x")]);
        await Expect(other, ":1\r\n", ["DEL", K("x")]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n_\r\n", ["MULTI"], ["INCR", K("x")], ["EXEC"]);
        // A key missing at WATCH, created and deleted again before EXEC, changed (as Redis counts it).
        await Expect(watcher, "+OK\r\n", ["WATCH", K("gone")]);
        await Expect(other, "+OK\r\n:1\r\n", ["SET", K("gone"), "1"], ["DEL", K("gone")]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n_\r\n", ["MULTI"], ["INCR", K("x")], ["EXEC"]);
    }

    [Fact]
    public async Task Exec_answers_nil_when_only_a_watched_keys_time_to_live_changed_or_it_expired()
    {
        using var watcher = await OpenAsync(0);
        using var other = await OpenAsync(1);
        await Expect(watcher, "+OK\r\n+OK\r\n", ["SET", K("t"), "1"], ["WATCH", K("t")]);
        await Expect(other, ":1\r\n", ["EXPIRE", K("t"), "100"]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n*-1\r\n", ["MULTI"], ["INCR", K("t")], ["EXEC"]);
        await Expect(watcher, "+OK\r\n", ["WATCH", K("t")]);
        await Expect(other, ":1\r\n", ["PERSIST", K("t")]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n*-1\r\n", ["MULTI"], ["INCR", K("t")], ["EXEC"]);
        // Commands that leave the time to live as it was are not changes, as in Redis.
        await Expect(watcher, "+OK\r\n", ["WATCH", K("t")]);
        await Expect(other, ":0\r\n:-1\r\n$1\r\n1\r\n", ["PERSIST", K("t")], ["TTL", K("t")], ["GETEX", K("t"), "PERSIST"]);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n*1\r\n:2\r\n", ["MULTI"], ["INCR", K("t")], ["EXEC"]);
        // A watched key that expires before EXEC aborts it (Redis 7).
        await Expect(watcher, "+OK\r\n+OK\r\n", ["SET", K("t"), "1", "PX", "300"], ["WATCH", K("t")]);
        await Eventually.TrueAsync(async () => await Exchange(other, ":0\r\n", ["EXISTS", K("t")]) == ":0\r\n", "the key expired", Patience);
        await Expect(watcher, "+OK\r\n+QUEUED\r\n*-1\r\n", ["MULTI"], ["INCR", K("t")], ["EXEC"]);
    }

    // Reads past a reply whose length the test does not pin (HELLO's map), up to the end of a known one.
    private static async Task ReadUntilAsync(Socket socket, string end)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Patience);
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.NotEqual(0, read);
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task StackExchange_redis_transactions_with_conditions_commit_or_not_as_their_conditions_hold(RedisProtocol protocol)
    {
        var options = ConfigurationOptions.Parse(fixture.Endpoint(1));
        options.Protocol = protocol;
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();
        var (counter, flag, name) = (K("c" + protocol), K("f" + protocol), K("n" + protocol));

        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.KeyNotExists(flag));
        var one = tx.StringIncrementAsync(counter);
        var two = tx.StringIncrementAsync(counter, 10);
        _ = tx.StringSetAsync(flag, "set");
        _ = tx.StringSetAsync(name, "ada");
        Assert.True(await tx.ExecuteAsync());
        Assert.Equal((1L, 11L), (await one, await two));

        // The flag exists now: the same condition fails and nothing is applied.
        var again = db.CreateTransaction();
        again.AddCondition(Condition.KeyNotExists(flag));
        _ = again.StringIncrementAsync(counter);
        Assert.False(await again.ExecuteAsync());
        Assert.Equal(11, (long)await db.StringGetAsync(counter));

        var equal = db.CreateTransaction();
        equal.AddCondition(Condition.StringEqual(name, "ada"));
        var renamed = equal.StringSetAsync(name, "grace");
        var hashed = equal.HashSetAsync(K("h" + protocol), "field", "1");
        Assert.True(await equal.ExecuteAsync());
        Assert.True(await renamed);
        Assert.True(await hashed);
        var stale = db.CreateTransaction();
        stale.AddCondition(Condition.StringEqual(name, "ada"));
        _ = stale.StringSetAsync(name, "ada again");
        Assert.False(await stale.ExecuteAsync());
        Assert.Equal("grace", (string?)await db.StringGetAsync(name));
    }

    [Fact]
    public async Task Redis_cli_runs_a_transaction_typed_into_one_session()
    {
        var output = await RedisCli.OutputAsync(fixture.Servers[2].Port,
            $"MULTI\nINCR {K("cli")}\nINCRBY {K("cli")} 5\nGET {K("cli")}\nEXEC\n");
        Assert.Equal("OK\nQUEUED\nQUEUED\nQUEUED\n1\n6\n6", output);
        var aborted = await RedisCli.OutputAsync(fixture.Servers[0].Port, $"MULTI\nINCR\nINCR {K("cli")}\nEXEC\nGET {K("cli")}\n");
        Assert.Equal("OK\nERR wrong number of arguments for 'incr' command\n\nQUEUED\nEXECABORT Transaction discarded because of previous errors.\n\n6", aborted);
    }
}
