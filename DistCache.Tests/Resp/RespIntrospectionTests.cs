using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp;

/// <summary>INFO, CONFIG and CLIENT through raw sockets and redis-cli against the Redis endpoints of a
/// 3-node cluster: values checked, not only shapes.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespIntrospectionTests(RespClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private int Port(int node) => fixture.Servers[node].Port;

    [Fact]
    public async Task Info_counts_the_cluster_keys_and_this_node_connections_and_honours_its_sections()
    {
        await using var a = await RespSocket.OpenAsync(Port(0));
        Assert.Equal("OK", await a.CallAsync("FLUSHALL"));
        for (var i = 0; i < 25; i++)
            Assert.Equal("OK", await a.CallAsync("SET", $"info:{i}", "value"));
        Assert.Equal("1", await a.CallAsync("EXPIRE", "info:0", "100"));

        // Keys of the whole cluster, through any node.
        Assert.Equal("keys=25,expires=1,avg_ttl=0", Fields(await a.CallAsync("INFO", "keyspace"))["db0"]);
        Assert.Equal("keys=25,expires=1,avg_ttl=0", Fields(await Cli(1, "INFO", "KEYSPACE"))["db0"]);

        // Only the sections asked for, in any case.
        var some = (string)(await a.CallAsync("INFO", "Server", "CPU"))!;
        Assert.Equal(["# Server", "# Cpu"], some.Split("\r\n").Where(l => l.StartsWith('#')));
        var server = Fields(some);
        Assert.Equal(RespVersion, server["redis_version"]);
        Assert.Equal("standalone", server["redis_mode"]); // the fixture's Servers are in cluster-mode off
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), server["process_id"]);
        Assert.Equal(Port(0).ToString(CultureInfo.InvariantCulture), server["tcp_port"]);
        Assert.Equal("64", server["arch_bits"]);
        Assert.True(double.Parse(server["used_cpu_user"], CultureInfo.InvariantCulture) > 0);
        Assert.Equal(["# Replication"], ((string)(await a.CallAsync("info", "replication"))!).Split("\r\n").Where(l => l.StartsWith('#')));

        var before = long.Parse(Fields(await a.CallAsync("INFO", "stats"))["total_commands_processed"], CultureInfo.InvariantCulture);
        await a.CallAsync("PING");
        var after = long.Parse(Fields(await a.CallAsync("INFO", "stats"))["total_commands_processed"], CultureInfo.InvariantCulture);
        Assert.Equal(before + 2, after);

        // The partitions report their bytes once a second; some of the 25 keys are on each node's.
        await Eventually.TrueAsync(async () =>
        {
            long total = 0;
            for (var node = 0; node < 3; node++)
                total += long.Parse(Fields(await Cli(node, "INFO", "memory"))["used_memory"], CultureInfo.InvariantCulture);
            return total > 25 * "value".Length;
        }, "used_memory counts the keys written", Patience);
        var memory = Fields(await a.CallAsync("INFO", "memory"));
        Assert.Equal("0", memory["maxmemory"]);
        Assert.Equal("noeviction", memory["maxmemory_policy"]);

        // Two connections of its own on node 2 (any other test's have closed by then).
        await using var b = await RespSocket.OpenAsync(Port(2));
        await using var c = await RespSocket.OpenAsync(Port(2));
        Assert.Equal("PONG", await c.CallAsync("PING"));
        await Eventually.TrueAsync(async () => Fields(await b.CallAsync("INFO", "clients"))["connected_clients"] == "2",
            "node 2 counts the two connections", Patience);
    }

    [Fact]
    public async Task Config_get_answers_patterns_under_redis_names_and_set_is_refused()
    {
        Assert.Equal("maxmemory\n0", await Cli(0, "CONFIG", "GET", "maxmemory"));
        Assert.Equal("databases\n1\nsave", await Cli(0, "CONFIG", "GET", "databases", "save"));
        Assert.Equal($"port\n{Port(1)}", await Cli(1, "CONFIG", "GET", "port"));
        var all = (await Cli(2, "CONFIG", "GET", "*")).Split('\n');
        var pairs = Enumerable.Range(0, all.Length / 2).ToDictionary(i => all[2 * i], i => all[2 * i + 1]);
        Assert.Equal("", pairs["requirepass"]);
        Assert.Equal("127.0.0.1", pairs["bind"]);
        Assert.Equal("yes", pairs["appendonly"]);
        Assert.Equal("always", pairs["appendfsync"]);
        Assert.Equal("noeviction", pairs["maxmemory-policy"]);
        Assert.Equal("", await Cli(0, "CONFIG", "GET", "no-such-parameter"));

        Assert.Contains("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - can't set immutable config",
            await Cli(0, "CONFIG", "SET", "maxmemory", "100mb"));
        Assert.Contains("ERR Unknown option or number of arguments for CONFIG SET - 'hz'", await Cli(0, "CONFIG", "SET", "hz", "10"));
        Assert.Equal("OK", await Cli(0, "CONFIG", "SET", "appendonly", "yes"));
        Assert.Equal("OK", await Cli(0, "CONFIG", "RESETSTAT"));

        // RESP3: a map.
        using var socket = await RawSocket.OpenAsync(Port(0));
        await socket.SendAsync("HELLO 3\r\n"u8.ToArray());
        await socket.SendAsync("CONFIG GET databases\r\nPING\r\n"u8.ToArray());
        var expected = "%1\r\n$9\r\ndatabases\r\n$1\r\n1\r\n+PONG\r\n";
        // HELLO's map comes first (its length varies with the id); read until CONFIG's reply and the PONG are in.
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().EndsWith(expected, StringComparison.Ordinal) && received.Length < 64 * 1024)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Patience);
            Assert.True(n > 0, $"closed after: {received}");
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        Assert.EndsWith(expected, received.ToString());
    }

    [Fact]
    public async Task Client_list_shows_named_connections_and_client_kill_closes_another()
    {
        await using var a = await RespSocket.OpenAsync(Port(1));
        await using var b = await RespSocket.OpenAsync(Port(1));
        Assert.Equal("OK", await a.CallAsync("CLIENT", "SETNAME", "alpha"));
        Assert.Equal("OK", await b.CallAsync("CLIENT", "SETNAME", "beta"));
        var idA = (string)(await a.CallAsync("CLIENT", "ID"))!;
        var idB = (string)(await b.CallAsync("CLIENT", "ID"))!;

        var list = ((string)(await a.CallAsync("CLIENT", "LIST"))!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lineA = Assert.Single(list, l => l.StartsWith($"id={idA} "));
        var lineB = Assert.Single(list, l => l.StartsWith($"id={idB} "));
        Assert.Contains(" name=alpha ", lineA);
        Assert.Contains(" cmd=client|list ", lineA);
        Assert.Contains($" addr={b.LocalAddress} laddr=127.0.0.1:{Port(1)} ", lineB);
        Assert.Contains(" name=beta ", lineB);
        Assert.Contains(" cmd=client|id ", lineB);
        Assert.Contains(" flags=N db=0 ", lineB);
        Assert.Contains(" user=default ", lineB);
        Assert.StartsWith($"id={idB} ", (string)(await a.CallAsync("CLIENT", "LIST", "ID", idB))!);
        var info = (string)(await b.CallAsync("CLIENT", "INFO"))!;
        Assert.StartsWith($"id={idB} addr={b.LocalAddress} ", info);
        Assert.Contains(" cmd=client|info ", info);

        Assert.Equal("1", await a.CallAsync("CLIENT", "KILL", "ID", idB));
        Assert.True(await b.ClosedAsync(Patience), "the killed connection was closed");
        await Eventually.TrueAsync(async () => !((string)(await a.CallAsync("CLIENT", "LIST"))!).Contains("name=beta"),
            "the killed connection left CLIENT LIST", Patience);

        // The old form, by address.
        await using var c = await RespSocket.OpenAsync(Port(1));
        Assert.Equal("PONG", await c.CallAsync("PING"));
        Assert.Equal("OK", await a.CallAsync("CLIENT", "KILL", c.LocalAddress));
        Assert.True(await c.ClosedAsync(Patience), "the connection killed by address was closed");
        Assert.Equal("ERR No such client", await a.CallAsync("CLIENT", "KILL", c.LocalAddress));
        Assert.Equal("ERR No such user 'unknown'", await Cli(1, "CLIENT", "KILL", "USER", "unknown"));

        // SKIPME no: the asking connection answers, then closes.
        Assert.Equal("1", await a.CallAsync("CLIENT", "KILL", "ID", idA, "SKIPME", "no"));
        Assert.True(await a.ClosedAsync(Patience), "the connection that killed itself was closed after its reply");
    }

    [Fact]
    public async Task Client_reply_off_and_skip_silence_replies_while_commands_still_run()
    {
        using var socket = await RawSocket.OpenAsync(Port(2));
        var key = "reply:" + Guid.NewGuid().ToString("N");
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"CLIENT REPLY OFF\r\nSET {key} 1\r\nPING\r\nCLIENT REPLY ON\r\nGET {key}\r\n" +
            "CLIENT REPLY SKIP\r\nECHO skipped\r\nECHO shown\r\nPING\r\n"));
        var expected = "+OK\r\n$1\r\n1\r\n$5\r\nshown\r\n+PONG\r\n";
        Assert.Equal(expected, await RawSocket.ReadAsync(socket, expected.Length, Patience));
        // Nothing else was sent: the next reply is the next command's.
        await socket.SendAsync("ECHO last\r\n"u8.ToArray());
        Assert.Equal("$4\r\nlast\r\n", await RawSocket.ReadAsync(socket, 10, Patience));
    }

    [Fact]
    public async Task Resp3_answers_info_and_client_info_as_verbatim_text_and_lcs_idx_as_a_map()
    {
        using var socket = await RawSocket.OpenAsync(Port(2));
        var a = "lcs3a:" + Guid.NewGuid().ToString("N");
        var b = "lcs3b:" + Guid.NewGuid().ToString("N");
        await socket.SendAsync(Encoding.ASCII.GetBytes($"SET {a} ohmytext\r\nSET {b} mynewtext\r\nHELLO 3\r\nPING\r\n"));
        await ReadUntilAsync(socket, "+OK\r\n+OK\r\n", "+PONG\r\n");

        const string replication = "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
        await socket.SendAsync("INFO replication\r\n"u8.ToArray());
        var verbatim = $"={replication.Length + 4}\r\ntxt:{replication}\r\n";
        Assert.Equal(verbatim, await RawSocket.ReadAsync(socket, verbatim.Length, Patience));

        await socket.SendAsync(Encoding.ASCII.GetBytes($"LCS {a} {b} IDX MINMATCHLEN 4 WITHMATCHLEN\r\n"));
        const string map = "%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n";
        Assert.Equal(map, await RawSocket.ReadAsync(socket, map.Length, Patience));

        // CLIENT INFO's line changes with age and idle: the header's length must be the payload's, "txt:" first.
        await socket.SendAsync("CLIENT INFO\r\nPING\r\n"u8.ToArray());
        var reply = await ReadUntilAsync(socket, "+PONG\r\n");
        var header = reply[..reply.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.StartsWith("=", header);
        var body = reply[(header.Length + 2)..^"\r\n+PONG\r\n".Length];
        Assert.Equal(int.Parse(header[1..], CultureInfo.InvariantCulture), body.Length);
        Assert.StartsWith("txt:id=", body);
        Assert.Contains(" resp=3 ", body);
        Assert.EndsWith("\n", body);

        // RESP2 stays a bulk string.
        await socket.SendAsync("HELLO 2\r\nPING\r\n"u8.ToArray());
        await ReadUntilAsync(socket, "+PONG\r\n");
        await socket.SendAsync("INFO replication\r\n"u8.ToArray());
        var bulk = $"${replication.Length}\r\n{replication}\r\n";
        Assert.Equal(bulk, await RawSocket.ReadAsync(socket, bulk.Length, Patience));
    }

    /// <summary>Reads until the text received ends with <paramref name="end"/> (and starts with <paramref name="start"/> if given).</summary>
    private static async Task<string> ReadUntilAsync(Socket socket, string end) => await ReadUntilAsync(socket, "", end);

    private static async Task<string> ReadUntilAsync(Socket socket, string start, string end)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().EndsWith(end, StringComparison.Ordinal) && received.Length < 64 * 1024)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Patience);
            Assert.True(n > 0, $"closed after: {received}");
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        Assert.StartsWith(start, received.ToString());
        return received.ToString();
    }

    [Fact]
    public async Task Redis_cli_sees_its_own_connection_and_the_sections()
    {
        var own = await Cli(0, "CLIENT", "INFO");
        Assert.Matches(@"^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name= age=\d+ idle=\d+ flags=N db=0 ", own);
        Assert.Contains(" cmd=client|info user=default redir=-1 resp=2 ", own);
        var info = await Cli(0, "INFO");
        foreach (var section in new[] { "Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "Cpu", "Keyspace" })
            Assert.Contains($"# {section}", info);
        foreach (var field in new[] { "os", "uptime_in_seconds", "maxclients", "used_memory_human", "used_cpu_sys", "total_connections_received", "instantaneous_ops_per_sec", "role" })
            Assert.Contains(field, Fields(info).Keys);
    }

    [Fact]
    public async Task Client_list_shows_a_connection_inside_multi_with_flag_x_and_its_queued_commands()
    {
        await using var a = await RespSocket.OpenAsync(Port(0));
        await using var b = await RespSocket.OpenAsync(Port(0));
        var id = (string)(await a.CallAsync("CLIENT", "ID"))!;
        async Task<string> Line() => (string)(await b.CallAsync("CLIENT", "LIST", "ID", id))!;

        Assert.Contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ", await Line());
        Assert.Equal("OK", await a.CallAsync("MULTI"));
        Assert.Contains(" flags=x db=0 sub=0 psub=0 ssub=0 multi=0 ", await Line());
        Assert.Equal("QUEUED", await a.CallAsync("SET", "{multi}k", "1"));
        Assert.Equal("QUEUED", await a.CallAsync("PING"));
        Assert.Contains(" flags=x db=0 sub=0 psub=0 ssub=0 multi=2 ", await Line());
        Assert.Equal("OK", await a.CallAsync("DISCARD"));
        Assert.Contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ", await Line());
    }

    private static string RespVersion => DistCache.Host.Resp.RespCommands.CompatibleVersion;

    private static Dictionary<string, string> Fields(object? text) =>
        ((string)text!).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(':') && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..]);

    private Task<string> Cli(int node, params string[] args) => Support.RedisCli.OutputAsync(Port(node), null, args);

    /// <summary>A connection that sends commands as RESP arrays and reads one RESP2 reply each: simple
    /// strings, errors, integers and bulk strings as text.</summary>
    private sealed class RespSocket : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;

        private RespSocket(Socket socket) => (_socket, _stream) = (socket, new NetworkStream(socket, ownsSocket: true));

        /// <summary>ip:port of this end, as the server's addr= shows it.</summary>
        public string LocalAddress => _socket.LocalEndPoint!.ToString()!;

        public static async Task<RespSocket> OpenAsync(int port) => new(await RawSocket.OpenAsync(port));

        public async Task<object?> CallAsync(params string[] words)
        {
            var request = new StringBuilder($"*{words.Length}\r\n");
            foreach (var word in words)
                request.Append($"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
            return await ReadAsync();
        }

        private async Task<object?> ReadAsync()
        {
            var line = await LineAsync();
            switch (line[0])
            {
                case '+' or '-' or ':':
                    return line[1..];
                case '$':
                    var length = int.Parse(line[1..], CultureInfo.InvariantCulture);
                    if (length < 0)
                        return null;
                    var data = new byte[length + 2];
                    await _stream.ReadExactlyAsync(data).AsTask().WaitAsync(Patience);
                    return Encoding.UTF8.GetString(data, 0, length);
                default:
                    throw new InvalidDataException($"unexpected reply line '{line}'");
            }
        }

        private async Task<string> LineAsync()
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (true)
            {
                if (await _stream.ReadAsync(one).AsTask().WaitAsync(Patience) == 0)
                    throw new EndOfStreamException("the server closed the connection");
                if (one[0] == '\n')
                    return line.ToString().TrimEnd('\r');
                line.Append((char)one[0]);
            }
        }

        /// <summary>Whether the server closed this connection: the next read ends (or is reset).</summary>
        public async Task<bool> ClosedAsync(TimeSpan patience)
        {
            try
            {
                return await _stream.ReadAsync(new byte[1]).AsTask().WaitAsync(patience) == 0;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
    }
}
