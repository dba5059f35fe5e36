using DistCache.Client;
using DistCache.Tests.Support;

namespace DistCache.Tests.Client;

/// <summary>The client library through ClusterClient against a real in-process node.</summary>
[Collection(NodeCollection.Name)]
public sealed class ClientEndToEndTests : IAsyncLifetime
{
    private readonly NodeFixture _node;
    private DistCacheClient _client = null!;

    public ClientEndToEndTests(NodeFixture node) => _node = node;

    public Task InitializeAsync()
    {
        _client = _node.Connect();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task The_original_projects_example_gives_the_right_answers()
    {
        // ../shared/seed: client.set/get/delete on strings and integers.
        await _client.SetAsync("brazil", "football");
        await _client.SetAsync("harry", "potter");
        await _client.SetAsync("1", 2);
        await _client.SetAsync("3", 6);
        await _client.SetAsync("hey", "hola");
        Assert.Equal("hola", await _client.GetAsync<string>("hey"));
        Assert.Equal(2, await _client.GetAsync<int>("1"));
        await _client.SetAsync("hey", "there");
        Assert.Equal("there", await _client.GetAsync<string>("hey"));
        Assert.True(await _client.DeleteAsync("3"));
        Assert.False((await _client.TryGetAsync<int>("3")).Found);
        Assert.Equal("football", await _client.GetAsync<string>("brazil"));
    }

    [Fact]
    public async Task Typed_values_round_trip_through_the_cluster()
    {
        var key = Guid.NewGuid().ToString("N");
        await _client.SetAsync(key + ":l", long.MinValue);
        await _client.SetAsync(key + ":d", 2.5);
        await _client.SetAsync(key + ":b", true);
        await _client.SetAsync(key + ":bytes", new byte[] { 1, 2, 3 });
        await _client.SetAsync(key + ":obj", new ValueCodecTests.Address("Paris", 75001));
        await _client.SetAsync(key + ":map", new Dictionary<string, List<(int, string)>> { ["a"] = [(1, "x")] });

        Assert.Equal(long.MinValue, await _client.GetAsync<long>(key + ":l"));
        Assert.Equal(2.5, await _client.GetAsync<double>(key + ":d"));
        Assert.True(await _client.GetAsync<bool>(key + ":b"));
        Assert.Equal([1, 2, 3], await _client.GetAsync<byte[]>(key + ":bytes"));
        Assert.Equal(new ValueCodecTests.Address("Paris", 75001), await _client.GetAsync<ValueCodecTests.Address>(key + ":obj"));
        var map = await _client.GetAsync<Dictionary<string, List<(int, string)>>>(key + ":map");
        Assert.Equal((1, "x"), map!["a"].Single());
    }

    [Fact]
    public async Task Exists_delete_and_counters_behave_like_redis()
    {
        var key = Guid.NewGuid().ToString("N");
        Assert.False(await _client.ExistsAsync(key));
        Assert.Equal(1, await _client.IncrementAsync(key));
        Assert.Equal(11, await _client.IncrementAsync(key, 10));
        Assert.Equal(8, await _client.DecrementAsync(key, 3));
        Assert.Equal(7, await _client.DecrementAsync(key));
        Assert.True(await _client.ExistsAsync(key));
        Assert.True(await _client.DeleteAsync(key));
        Assert.False(await _client.DeleteAsync(key));
    }

    [Fact]
    public async Task Concurrent_increments_are_atomic()
    {
        var key = Guid.NewGuid().ToString("N");
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _client.IncrementAsync(key)));
        Assert.Equal(200, results.Distinct().Count());
        Assert.Equal(200, await _client.GetAsync<long>(key));
    }

    [Fact]
    public async Task Bad_input_gets_typed_errors_and_changes_nothing()
    {
        var key = Guid.NewGuid().ToString("N");
        await _client.SetAsync(key, "text");

        await Assert.ThrowsAsync<InvalidKeyException>(() => _client.SetAsync("", "v"));
        await Assert.ThrowsAsync<InvalidKeyException>(() => _client.GetAsync<string>((string)null!));
        await Assert.ThrowsAsync<KeyTooLongException>(() => _client.SetAsync(new string('k', 1025), "v"));
        await Assert.ThrowsAsync<NotAnIntegerException>(() => _client.IncrementAsync(key));
        await Assert.ThrowsAsync<IntegerOverflowException>(() => _client.DecrementAsync(key, long.MinValue));
        Assert.Equal("text", await _client.GetAsync<string>(key));

        var counter = key + ":n";
        await _client.SetAsync(counter, long.MaxValue);
        await Assert.ThrowsAsync<IntegerOverflowException>(() => _client.IncrementAsync(counter));
        Assert.Equal(long.MaxValue, await _client.GetAsync<long>(counter));
    }

    [Fact]
    public async Task A_value_over_the_servers_limit_is_refused_by_the_server()
    {
        // The client's own limit is raised so the request reaches the node, whose limit (16 MiB) refuses it.
        await using var client = new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = [_node.Contact],
            RequestTimeout = TimeSpan.FromSeconds(30),
            MaxValueBytes = 17 * 1024 * 1024,
        });
        var key = Guid.NewGuid().ToString("N");
        await client.SetAsync(key, "kept");
        var error = await Assert.ThrowsAsync<ValueTooLargeException>(() => client.SetAsync(key, new byte[16 * 1024 * 1024 + 1]));
        Assert.Contains("distcache.max-value-bytes", error.Message);
        Assert.Equal("kept", await client.GetAsync<string>(key));
    }

    [Fact]
    public async Task A_value_near_the_limit_round_trips()
    {
        var key = Guid.NewGuid().ToString("N");
        var big = new byte[10 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        await _client.SetAsync(key, big);
        Assert.Equal(big, await _client.GetAsync<byte[]>(key));
    }

    public sealed record Inner(int Id, List<string> Tags);

    public sealed record Outer(string Name, Inner Child, Dictionary<string, HashSet<int>> Groups, (int, string) Pair, List<Inner> Items);

    public static TheoryData<object> ObjectMatrix() => new()
    {
        42,
        "text",
        new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 },
        new HashSet<string> { "x", "y" },
        Tuple.Create(1, "one"),
        (2, "two", 2.5),
        new List<int> { 3, 1, 2 },
        new List<List<string>> { new() { "a" }, new() { "b", "c" } },
        new Dictionary<string, List<int>> { ["k"] = [1, 2] },
        new Inner(1, ["t"]),
        new Outer("o", new Inner(2, ["u"]), new() { ["g"] = [1, 2] }, (3, "three"), [new Inner(4, [])]),
    };

    [Theory]
    [MemberData(nameof(ObjectMatrix))]
    public async Task Objects_of_every_supported_shape_round_trip_through_the_cluster(object value)
    {
        var key = Guid.NewGuid().ToString("N");
        var roundTrip = typeof(ClientEndToEndTests).GetMethod(nameof(RoundTripAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(value.GetType());
        var copy = await (Task<object?>)roundTrip.Invoke(this, [key, value])!;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions { IncludeFields = true }),
            System.Text.Json.JsonSerializer.Serialize(copy, value.GetType(), new System.Text.Json.JsonSerializerOptions { IncludeFields = true }));
        Assert.Equal(value.GetType(), copy!.GetType());
    }

    private async Task<object?> RoundTripAsync<T>(string key, T value)
    {
        await _client.SetAsync(key, value);
        return await _client.GetAsync<T>(key);
    }

    [Fact]
    public async Task A_cluster_that_does_not_answer_gives_a_typed_timeout()
    {
        await using var client = new DistCacheClient(new DistCacheClientOptions
        {
            ContactPoints = [$"127.0.0.1:{FreePort.Next()}"],
            RequestTimeout = TimeSpan.FromMilliseconds(500),
        });
        var error = await Assert.ThrowsAsync<DistCacheTimeoutException>(() => client.GetAsync<string>("k"));
        Assert.Contains("GET 'k'", error.Message);
    }
}
