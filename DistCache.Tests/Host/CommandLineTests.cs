using System.Net;
using System.Net.Http.Headers;
using DistCache.Tests.Support;

namespace DistCache.Tests.Host;

/// <summary>The command line end to end against a real host process, including kill -9 and restarts on
/// the same data folder.</summary>
public sealed class CommandLineTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static Task<CliResult> Cli(HostProcess host, params string[] args) =>
        HostProcess.RunCliAsync([.. args, "--contact", host.Contact, "--timeout", "20"]);

    private static async Task<string> Expect(HostProcess host, params string[] args)
    {
        var result = await Cli(host, args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    private async Task<HostProcess> StartAsync(int port)
    {
        var host = HostProcess.Start(port, _data.Path);
        await host.WaitUntilReadyAsync();
        return host;
    }

    [Fact]
    public async Task The_original_projects_example_prints_like_redis_cli_from_one_batch_and_a_bad_line_stops_nothing()
    {
        using var host = await StartAsync(FreePort.Next());
        // The original project's README session, as a script on stdin: one process, one connection.
        const string script = """
            # the original project's example
            set brazil football
            set harry potter
            set 1 2
            set 3 6
            set hey hola
            get hey
            get 1
            set hey there
            get hey
            del 3
            get 3
            get brazil
            del 3
            exists brazil
            exists 3
            frobnicate k
            set "two words" 'it\'s'
            get "two words"
            incr n --by 5
            incr n
            decr n --by 10
            get k --contact 127.0.0.1:1
            """;
        var result = await HostProcess.RunCliWithInputAsync(script, "batch", "--contact", host.Contact, "--timeout", "20");
        Assert.Equal(
            ["OK", "OK", "OK", "OK", "OK", "hola", "2", "OK", "there", "1", "(nil)", "football", "0", "1", "0", "OK", "it's", "5", "6", "-4"],
            result.Stdout.Split('\n'));
        Assert.Equal(1, result.ExitCode);
        var errors = result.Stderr.Split('\n');
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("(error) line 17: ", errors[0]);
        Assert.Contains("Unrecognized command or argument 'frobnicate'", errors[0]);
        Assert.StartsWith("(error) line 23: --contact belongs to the batch command", errors[1]);

        var missing = await HostProcess.RunCliWithInputAsync("get k\n", "batch", "/nonexistent/script", "--contact", host.Contact);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/nonexistent/script", missing.Stderr);
    }

    [Fact]
    public async Task Every_cache_operation_has_a_subcommand()
    {
        using var host = await StartAsync(FreePort.Next());
        // In process over one connection, as `batch` runs them: a process per subcommand cost a second each.
        await using var cli = new InProcessCli(host.Contact);
        Assert.Equal("OK", await cli.ExpectAsync("set", "t", "v", "--ttl", "100"));
        Assert.InRange(long.Parse(await cli.ExpectAsync("ttl", "t")), 80, 100);
        Assert.InRange(long.Parse(await cli.ExpectAsync("pttl", "t")), 80_000, 100_000);
        Assert.Equal("1", await cli.ExpectAsync("persist", "t"));
        Assert.Equal("-1", await cli.ExpectAsync("ttl", "t"));
        Assert.Equal("1", await cli.ExpectAsync("expire", "t", "50"));
        Assert.Equal("-2", await cli.ExpectAsync("ttl", "missing"));
        Assert.Equal("1", await cli.ExpectAsync("add", "a", "1"));
        Assert.Equal("0", await cli.ExpectAsync("add", "a", "2"));
        Assert.Equal("(nil)", await cli.ExpectAsync("set", "a", "3", "--nx"));
        Assert.Equal("0", await cli.ExpectAsync("replace", "missing", "x"));
        Assert.Equal("1", await cli.ExpectAsync("replace", "a", "b"));
        Assert.Equal("3", await cli.ExpectAsync("append", "a", "cd"));
        Assert.Equal("4", await cli.ExpectAsync("prepend", "a", ">"));
        Assert.Equal(">bcd", await cli.ExpectAsync("getset", "a", "new"));
        var gets = (await cli.ExpectAsync("gets", "a")).Split('\n');
        Assert.Equal("new", gets[0]);
        Assert.Equal("0", await cli.ExpectAsync("cas", "a", "lost", (long.Parse(gets[1]) + 1000).ToString()));
        Assert.Equal("1", await cli.ExpectAsync("cas", "a", "won", gets[1]));
        Assert.Equal("won", await cli.ExpectAsync("getdel", "a"));
        Assert.Equal("(nil)", await cli.ExpectAsync("getdel", "a"));
        Assert.Equal("OK", await cli.ExpectAsync("mset", "m1", "x", "m2", "y"));
        Assert.Equal("x\n(nil)\ny", await cli.ExpectAsync("mget", "m1", "nope", "m2"));
        Assert.Equal("3", await cli.ExpectAsync("count"));
        var scan = (await cli.ExpectAsync("scan", "--count", "1000")).Split('\n');
        Assert.Equal("0", scan[0]);
        Assert.Equal(["m1", "m2", "t"], scan.Skip(1).Order());
        Assert.Equal("OK", await cli.ExpectAsync("flush"));
        Assert.Equal("0", await cli.ExpectAsync("count"));

        var odd = await Cli(host, "mset", "k1", "v1", "k2");
        Assert.Equal(1, odd.ExitCode);
        Assert.Contains("pairs", odd.Stderr);
        var badTtl = await Cli(host, "set", "k", "v", "--ttl", "-5");
        Assert.Equal(1, badTtl.ExitCode);
        Assert.Contains("positive time to live", badTtl.Stderr);

        // Keys that are not UTF-8 text: typed as hex, printed as redis-cli prints them.
        Assert.Equal("OK", await cli.ExpectAsync("set", "ff", "one", "--key-hex"));
        Assert.Equal("OK", await cli.ExpectAsync("set", "fe", "two", "--key-hex"));
        Assert.Equal("one", await cli.ExpectAsync("get", "ff", "--key-hex"));
        Assert.Equal("(nil)", await cli.ExpectAsync("get", "ff"));
        Assert.Equal(["\"\\xfe\"", "\"\\xff\""], (await cli.ExpectAsync("scan", "--count", "1000")).Split('\n').Skip(1).Order());
        var notHex = await Cli(host, "get", "f", "--key-hex");
        Assert.Equal(1, notHex.ExitCode);
        Assert.Contains("--key-hex", notHex.Stderr);
    }

    [Fact]
    public async Task The_http_port_serves_liveness_readiness_metrics_and_status_shows_the_node()
    {
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        using var host = HostProcess.Start(port, _data.Path, "--http-port", httpPort.ToString());
        await host.WaitUntilReadyAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

        Assert.Equal("live", await http.GetStringAsync("/health/live"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage ready;
        while (!(ready = await http.GetAsync("/health/ready")).IsSuccessStatusCode)
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, await ready.Content.ReadAsStringAsync());
            await Task.Delay(100);
        }
        Assert.Contains("256 partitions recovered", await ready.Content.ReadAsStringAsync());

        await Expect(host, "set", "metered", "1");
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("distcache_operations_total{op=\"SetValue\"}", metrics);
        Assert.Contains("distcache_partitions 256", metrics);
        Assert.Contains("distcache_journal_write_duration_seconds_bucket", metrics);

        var status = await Expect(host, "status", "--json");
        Assert.Contains($"\"Address\": \"127.0.0.1:{port}\"", status);
        Assert.Contains("\"Partitions\": 256", status);
        var table = await Expect(host, "status");
        Assert.Contains("Nodes", table);
        Assert.Contains($"127.0.0.1:{port}", table);
    }

    [Fact]
    public async Task A_token_file_puts_metrics_behind_a_bearer_token_and_leaves_health_open()
    {
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(_data.Path, "http.token");
        await File.WriteAllTextAsync(file, token + "\n");
        var httpPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), _data.Path, "--http-port", httpPort.ToString(), "--http-token-file", file);
        await host.WaitUntilReadyAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

        Assert.Equal("live", await http.GetStringAsync("/health/live"));
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await http.GetAsync("/health/ready")).StatusCode);

        foreach (var (path, authorization) in new[] { ("/metrics", null), ("/metrics", "Bearer " + token + "x"), ("/metrics", "Bearer wrong"), ("/METRICS", null) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer realm=\"distcache\"", refused.Headers.WwwAuthenticate.ToString());
            Assert.DoesNotContain("distcache_", await refused.Content.ReadAsStringAsync());
        }

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var metrics = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE distcache_operations_total counter", await metrics.Content.ReadAsStringAsync());

        Assert.DoesNotContain(token, host.Output);
    }

    [Fact]
    public async Task Protect_health_puts_the_health_paths_behind_the_token_too()
    {
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(_data.Path, "http.token");
        await File.WriteAllTextAsync(file, token);
        var config = Path.Combine(_data.Path, "http.conf");
        await File.WriteAllTextAsync(config, $"distcache.http {{ token-file = \"{file}\", protect-health = on }}");
        var httpPort = FreePort.Next();
        using var host = HostProcess.Start(FreePort.Next(), _data.Path, "--http-port", httpPort.ToString(), "--config", config);
        await host.WaitUntilReadyAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

        using var refused = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal("live", await http.GetStringAsync("/health/live"));
    }

    [Theory]
    [InlineData(true, "missing.token", "distcache.http.token-file")]
    [InlineData(true, "empty.token", "is empty")]
    [InlineData(false, "good.token", "--http-port")]
    public async Task A_token_file_that_cannot_protect_the_http_port_stops_the_host(bool withHttpPort, string name, string said)
    {
        await File.WriteAllTextAsync(Path.Combine(_data.Path, "empty.token"), "\n");
        await File.WriteAllTextAsync(Path.Combine(_data.Path, "good.token"), "secret-never-printed");
        string[] args = withHttpPort
            ? ["--http-port", FreePort.Next().ToString(), "--http-token-file", Path.Combine(_data.Path, name)]
            : ["--http-token-file", Path.Combine(_data.Path, name)];
        using var host = HostProcess.Start(FreePort.Next(), _data.Path, args);
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("configuration error", host.Output);
        Assert.Contains(said, host.Output);
        Assert.Contains("--http-token-file", host.Output);
        Assert.DoesNotContain("secret-never-printed", host.Output);
    }

    [Fact]
    public async Task Bench_reports_throughput_and_percentiles_per_operation_and_writes_json()
    {
        using var host = await StartAsync(FreePort.Next());
        var json = Path.Combine(_data.Path, "bench.json");
        var output = await Expect(host, "bench", "--ops", "set,get,incr,mixed", "--clients", "8", "--requests", "400", "--keyspace", "5", "--json", json);
        Assert.Contains("p99.9 ms", output);
        using var results = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var rows = results.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["set", "get", "incr", "mixed"], rows.Select(r => r.GetProperty("op").GetString()));
        foreach (var row in rows)
        {
            Assert.Equal(400, row.GetProperty("requests").GetInt64());
            Assert.Equal(0, row.GetProperty("errors").GetInt64());
            Assert.True(row.GetProperty("ops_per_second").GetDouble() > 0);
            Assert.True(row.GetProperty("p50_ms").GetDouble() <= row.GetProperty("p99_ms").GetDouble());
        }
        // 400 INCRs spread over 5 counters: their values add up to 400.
        var total = 0L;
        for (var i = 0; i < 5; i++)
            total += long.Parse(await Expect(host, "get", "bench:counter:" + i) is var v && v == "(nil)" ? "0" : v);
        Assert.Equal(400, total);

        var unknown = await Cli(host, "bench", "--ops", "fly");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown operation 'fly'", unknown.Stderr);

        // Paced at 100/s, 40 SETs take at least the 0.39 s until the last is due; each SET carries the expiry.
        var paced = Path.Combine(_data.Path, "bench-paced.json");
        await Expect(host, "bench", "--ops", "set", "--clients", "4", "--requests", "40", "--keyspace", "1", "--key-prefix", "paced:",
            "--rate", "100", "--ttl", "60", "--json", paced);
        using var pacedResults = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(paced));
        var pacedRow = pacedResults.RootElement[0];
        Assert.Equal(40, pacedRow.GetProperty("requests").GetInt64());
        Assert.True(pacedRow.GetProperty("seconds").GetDouble() >= 0.39, pacedRow.ToString());
        Assert.Empty(pacedRow.GetProperty("error_kinds").EnumerateObject());
        Assert.InRange(long.Parse(await Expect(host, "ttl", "paced:0")), 1, 60);
        var badRate = await Cli(host, "bench", "--rate", "0");
        Assert.Equal(1, badRate.ExitCode);
        Assert.Contains("--rate", badRate.Stderr);
    }

    [Fact]
    public async Task Bench_on_a_throwaway_durable_node_reports_what_each_operation_cost_the_node_and_its_journal()
    {
        using var host = await StartAsync(FreePort.Next());
        var json = Path.Combine(_data.Path, "bench-always.json");
        var output = await Expect(host, "bench", "--ops", "set,get", "--clients", "8", "--requests", "300", "--durability", "always", "--json", json);
        Assert.Contains("rows/commit", output);
        using var results = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var set = results.RootElement[0];
        Assert.Equal("set", set.GetProperty("op").GetString());
        Assert.True(set.GetProperty("node_cpu_us_per_op").GetDouble() > 0);
        Assert.True(set.GetProperty("journal_rows_per_second").GetDouble() > 0);
        // 300 SETs in mode always: every write is journaled, some may share an event.
        Assert.InRange(set.GetProperty("writes_per_row").GetDouble(), 1.0, 300);
        Assert.True(set.GetProperty("rows_per_commit").GetDouble() > 0);
        // Reads write nothing.
        Assert.Equal(0, results.RootElement[1].GetProperty("journal_rows_per_second").GetDouble());

        var bad = await Cli(host, "bench", "--metrics", "not a url");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--metrics", bad.Stderr);
    }

    [Fact]
    public async Task A_10_MiB_file_round_trips_through_set_file_and_get_out()
    {
        using var host = await StartAsync(FreePort.Next());
        var input = Path.Combine(_data.Path, "image.bin");
        var output = Path.Combine(_data.Path, "copy.bin");
        var bytes = new byte[10 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(input, bytes);

        Assert.Equal("OK", await Expect(host, "set", "image", "--file", input));
        Assert.Contains("10485760 bytes", await Expect(host, "get", "image", "--out", output));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(output));

        var missing = await Cli(host, "set", "k", "--file", Path.Combine(_data.Path, "nope.bin"));
        Assert.Equal(1, missing.ExitCode);
        var both = await Cli(host, "set", "k", "v", "--file", input);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("either VALUE or --file", both.Stderr);
    }

    [Fact]
    public async Task Errors_go_to_stderr_with_exit_code_1_and_change_nothing()
    {
        using var host = await StartAsync(FreePort.Next());
        await Expect(host, "set", "s", "text");

        var notInteger = await Cli(host, "incr", "s");
        Assert.Equal(1, notInteger.ExitCode);
        Assert.Contains("not a 64-bit integer", notInteger.Stderr);
        Assert.Equal("", notInteger.Stdout);

        var tooLong = await Cli(host, "set", new string('k', 1025), "v");
        Assert.Equal(1, tooLong.ExitCode);
        Assert.Contains("over the limit of 1024 bytes", tooLong.Stderr);

        var notANumber = await Cli(host, "incr", "n", "--by", "many");
        Assert.Equal(1, notANumber.ExitCode);
        Assert.Contains("--by", notANumber.Stderr);

        var unknownCommand = await HostProcess.RunCliAsync("frobnicate", "k");
        Assert.Equal(1, unknownCommand.ExitCode);
        Assert.Contains("frobnicate", unknownCommand.Stderr);

        var unknownOption = await HostProcess.RunCliAsync("get", "k", "--colour", "red");
        Assert.Equal(1, unknownOption.ExitCode);
        Assert.Contains("--colour", unknownOption.Stderr);

        Assert.Equal("text", await Expect(host, "get", "s"));
    }

    [Fact]
    public async Task Acknowledged_writes_survive_kill_9_and_graceful_stops()
    {
        var port = FreePort.Next();
        using (var first = await StartAsync(port))
        {
            await Expect(first, "set", "kept", "yes");
            await Expect(first, "set", "gone", "soon");
            await Expect(first, "incr", "counter", "--by", "41");
            Assert.Equal("1", await Expect(first, "del", "gone"));
            first.Kill9();
        }

        using (var second = await StartAsync(port))
        {
            Assert.Equal("yes", await Expect(second, "get", "kept"));
            Assert.Equal("(nil)", await Expect(second, "get", "gone"));
            Assert.Equal("42", await Expect(second, "incr", "counter"));
            await Expect(second, "set", "after-term", "1");
            second.Signal(SigTerm);
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("DistCache node stopped", second.Output);
        }

        using (var third = await StartAsync(port))
        {
            Assert.Equal("1", await Expect(third, "get", "after-term"));
            Assert.Equal("42", await Expect(third, "get", "counter"));
            await Expect(third, "set", "after-int", "2");
            third.Signal(SigInt);
            Assert.Equal(0, await third.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        using var fourth = await StartAsync(port);
        Assert.Equal("2", await Expect(fourth, "get", "after-int"));
        Assert.Equal("yes", await Expect(fourth, "get", "kept"));
    }

    [Fact]
    public async Task A_data_folder_written_with_another_partition_count_stops_the_host_naming_the_setting()
    {
        var port = FreePort.Next();
        using (var first = await StartAsync(port))
        {
            await Expect(first, "set", "k", "v");
            first.Signal(SigTerm);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        using var wrong = HostProcess.Start(port, _data.Path, "--partitions", "64");
        Assert.NotEqual(0, await wrong.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("distcache.partitions = 64", wrong.Output);
        Assert.Contains("written with 256 partitions", wrong.Output);

        using var right = await StartAsync(port);
        Assert.Equal("v", await Expect(right, "get", "k"));
    }

    [Fact]
    public async Task A_port_already_in_use_stops_the_host_instead_of_sharing_it()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            using var host = HostProcess.Start(port, _data.Path);
            Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"--port {port}", host.Output);
            Assert.Contains("already in use", host.Output);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--seed", "nonsense", "--seed")]
    [InlineData("--journal", "oracle", "distcache.journal")]
    [InlineData("--config", "/nonexistent/distcache.conf", "--config")]
    public async Task Bad_configuration_stops_the_host_with_a_message_naming_the_setting(string option, string value, string named)
    {
        using var host = HostProcess.Start(FreePort.Next(), _data.Path, option, value);
        Assert.NotEqual(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(named, host.Output);
    }
}
