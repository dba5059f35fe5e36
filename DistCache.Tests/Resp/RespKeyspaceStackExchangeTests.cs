using DistCache.Tests.Support;
using DistCache.Wire;
using StackExchange.Redis;

namespace DistCache.Tests.Resp;

/// <summary>The Redis 7 string, key and expiry commands through StackExchange.Redis's own methods against a
/// 3-node cluster, RESP2 and RESP3, keys on different nodes.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class RespKeyspaceStackExchangeTests(RespClusterFixture fixture)
{
    private const int Partitions = 64;

    private readonly string _prefix = "se" + Guid.NewGuid().ToString("N")[..6] + ":";

    private string K(string name) => _prefix + name;

    private async Task<ConnectionMultiplexer> ConnectAsync(int node, RedisProtocol protocol)
    {
        var options = ConfigurationOptions.Parse(fixture.Endpoint(node));
        options.AllowAdmin = true;
        options.Protocol = protocol;
        options.SyncTimeout = options.AsyncTimeout = options.ConnectTimeout = 30_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task String_key_and_expiry_commands_work_through_stackexchange_redis(RedisProtocol protocol)
    {
        await using var a = await ConnectAsync(0, protocol);
        await using var b = await ConnectAsync(1, protocol);
        var (da, db) = (a.GetDatabase(), b.GetDatabase());

        await da.StringSetAsync(K("e"), "v");
        Assert.False(await db.KeyExpireAsync(K("e"), TimeSpan.FromSeconds(100), ExpireWhen.GreaterThanCurrentExpiry));
        Assert.Null(await da.KeyExpireTimeAsync(K("e")));
        Assert.True(await db.KeyExpireAsync(K("e"), TimeSpan.FromSeconds(100), ExpireWhen.HasNoExpiry));
        Assert.False(await da.KeyExpireAsync(K("e"), TimeSpan.FromSeconds(200), ExpireWhen.HasNoExpiry));
        Assert.True(await db.KeyExpireAsync(K("e"), TimeSpan.FromSeconds(50), ExpireWhen.LessThanCurrentExpiry));
        var expiry = await da.KeyExpireTimeAsync(K("e"));
        Assert.InRange(expiry!.Value, DateTime.UtcNow.AddSeconds(40), DateTime.UtcNow.AddSeconds(51));
        Assert.True(await db.KeyTouchAsync(K("e")));
        Assert.False(await da.KeyTouchAsync(K("missing")));

        await da.StringSetAsync(K("s"), "Hello World");
        Assert.Equal(11, (long)await db.StringSetRangeAsync(K("s"), 6, "Redis"));
        Assert.Equal("Redis", (string?)await da.StringGetRangeAsync(K("s"), -5, -1));
        Assert.Equal(10.6, await db.StringIncrementAsync(K("f"), 10.6));
        Assert.Equal(10.7, await da.StringIncrementAsync(K("f"), 0.1), 10);
        var notFloat = await Assert.ThrowsAsync<RedisServerException>(() => db.StringIncrementAsync(K("s"), 1.5));
        Assert.Equal("ERR value is not a valid float", notFloat.Message);

        var x = K("x");
        var y = Enumerable.Range(0, 2_000_000).Select(i => K($"y{i}")).First(k => DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of(x));
        var z = Enumerable.Range(0, 100_000).Select(i => K($"z{i}")).First(k => KeyHasher.PartitionOf(k, Partitions) != KeyHasher.PartitionOf(x, Partitions));
        Assert.True(await da.StringSetAsync([new(x, "1"), new(y, "2")], When.NotExists));
        Assert.False(await db.StringSetAsync([new(x, "3")], When.NotExists));
        Assert.True(await db.KeyRenameAsync(x, y));
        Assert.Equal("1", (string?)await da.StringGetAsync(y));
        Assert.True(await da.KeyCopyAsync(y, x));
        Assert.False(await db.KeyCopyAsync(y, x));
        var cross = await Assert.ThrowsAsync<RedisServerException>(() => db.KeyRenameAsync(x, z));
        Assert.StartsWith("CROSSSLOT", cross.Message);

        Assert.False(await da.StringSetBitAsync(K("bits"), 7, true));
        Assert.True(await db.StringGetBitAsync(K("bits"), 7));
        await da.StringSetAsync(K("foobar"), "foobar");
        Assert.Equal(26, await db.StringBitCountAsync(K("foobar")));
        Assert.Equal(17, await da.StringBitCountAsync(K("foobar"), 5, 30, StringIndexType.Bit));
        Assert.Equal(1, await db.StringBitPositionAsync(K("foobar"), true));

        await da.StringSetAsync(K("l1"), "ohmytext");
        await db.StringSetAsync(z, "mynewtext");
        Assert.Equal("mytext", await da.StringLongestCommonSubsequenceAsync(K("l1"), z));
        Assert.Equal(6, await db.StringLongestCommonSubsequenceLengthAsync(K("l1"), z));
        var idx = await da.StringLongestCommonSubsequenceWithMatchesAsync(K("l1"), z, minLength: 4);
        Assert.Equal(6, idx.LongestMatchLength);
        Assert.Equal(4, Assert.Single(idx.Matches).Length);

        await da.StringSetAsync(K("int"), "123");
        Assert.Equal("int", await db.KeyEncodingAsync(K("int")));
        Assert.Equal("embstr", await da.KeyEncodingAsync(K("s")));
        Assert.False(string.IsNullOrEmpty(await db.KeyRandomAsync()));
        var keys = a.GetServer(fixture.Endpoint(0)).Keys(pattern: _prefix + "y*").Select(k => (string)k!).ToArray();
        Assert.Equal([y], keys);
        var viaKeys = (RedisResult[])(await db.ExecuteAsync("KEYS", _prefix + "y*"))!;
        Assert.Equal([y], viaKeys.Select(k => (string)k!));
    }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task Sorted_set_commands_work_through_stackexchange_redis(RedisProtocol protocol)
    {
        await using var a = await ConnectAsync(0, protocol);
        await using var b = await ConnectAsync(1, protocol);
        var (da, db) = (a.GetDatabase(), b.GetDatabase());
        var z = K("z");

        Assert.Equal(3, await da.SortedSetAddAsync(z, [new("a", 1), new("b", 2.5), new("c", double.PositiveInfinity)]));
        Assert.False(await db.SortedSetAddAsync(z, "a", 1.5));
        Assert.Equal(1.5, await da.SortedSetScoreAsync(z, "a"));
        Assert.Null(await db.SortedSetScoreAsync(z, "zz"));
        Assert.Equal(12.5, await da.SortedSetIncrementAsync(z, "b", 10));
        Assert.Equal(3, await db.SortedSetLengthAsync(z));
        Assert.Equal(2, await da.SortedSetLengthAsync(z, 1, 100));
        Assert.Equal(1, await db.SortedSetRankAsync(z, "b"));
        Assert.Equal(0, await da.SortedSetRankAsync(z, "c", Order.Descending));
        Assert.Equal(["a", "b", "c"], (await db.SortedSetRangeByRankAsync(z)).Select(v => (string)v!));
        var withScores = await da.SortedSetRangeByRankWithScoresAsync(z, 0, -1, Order.Descending);
        Assert.Equal([("c", double.PositiveInfinity), ("b", 12.5), ("a", 1.5)], withScores.Select(e => ((string)e.Element!, e.Score)));
        Assert.Equal(["b"], (await db.SortedSetRangeByScoreAsync(z, 1.5, 100, Exclude.Start)).Select(v => (string)v!));
        Assert.Equal(["a", "b", "c"], (await da.SortedSetRangeByValueAsync(z)).Select(v => (string)v!));
        var popped = await db.SortedSetPopAsync(z, Order.Descending);
        Assert.Equal(("c", double.PositiveInfinity), ((string)popped!.Value.Element!, popped.Value.Score));
        Assert.Equal(RedisType.SortedSet, await da.KeyTypeAsync(z));
        Assert.Equal("listpack", await db.KeyEncodingAsync(z));
        var wrongType = await Assert.ThrowsAsync<RedisServerException>(() => da.StringGetAsync(z));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", wrongType.Message);
        var scanned = new List<string>();
        await foreach (var entry in db.SortedSetScanAsync(z, "*", pageSize: 1))
            scanned.Add(entry.Element!);
        Assert.Equal(["a", "b"], scanned.Order());
        Assert.True(await da.SortedSetRemoveAsync(z, "a"));
        Assert.Equal(1, await db.SortedSetRemoveRangeByRankAsync(z, 0, -1));
        Assert.False(await da.KeyExistsAsync(z));
    }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task Hash_commands_work_through_stackexchange_redis(RedisProtocol protocol)
    {
        await using var a = await ConnectAsync(0, protocol);
        await using var b = await ConnectAsync(1, protocol);
        var (da, db) = (a.GetDatabase(), b.GetDatabase());
        var h = K("h");

        await da.HashSetAsync(h, [new("a", "1"), new("b", "two"), new("c", "3")]);
        Assert.True(await db.HashSetAsync(h, "d", "4"));
        Assert.False(await da.HashSetAsync(h, "d", "5", When.NotExists));
        Assert.Equal("4", (string?)await db.HashGetAsync(h, "d"));
        Assert.Equal(["1", null, "two"], (await da.HashGetAsync(h, ["a", "zz", "b"])).Select(v => (string?)v));
        Assert.Equal(4, await db.HashLengthAsync(h));
        Assert.True(await da.HashExistsAsync(h, "c"));
        Assert.Equal(3, await db.HashStringLengthAsync(h, "b"));
        Assert.Equal(["a", "b", "c", "d"], (await da.HashKeysAsync(h)).Select(k => (string)k!).Order());
        Assert.Equal(4, (await db.HashValuesAsync(h)).Length);
        var all = (await da.HashGetAllAsync(h)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.Equal("two", all["b"]);
        Assert.Equal(11, await db.HashIncrementAsync(h, "a", 10));
        Assert.Equal(1.5, await da.HashIncrementAsync(h, "f", 1.5));
        var notInteger = await Assert.ThrowsAsync<RedisServerException>(() => db.HashIncrementAsync(h, "b", 1));
        Assert.Equal("ERR hash value is not an integer", notInteger.Message);
        Assert.Contains((string)(await da.HashRandomFieldAsync(h))!, all.Keys.Append("f"));
        Assert.Equal(3, (await db.HashRandomFieldsAsync(h, 3)).Distinct().Count());
        Assert.Equal(7, (await da.HashRandomFieldsWithValuesAsync(h, -7)).Length);
        var scanned = new List<string>();
        await foreach (var entry in db.HashScanAsync(h, "*", pageSize: 2))
            scanned.Add(entry.Name!);
        Assert.Equal(["a", "b", "c", "d", "f"], scanned.Order());

        Assert.Equal(RedisType.Hash, await da.KeyTypeAsync(h));
        Assert.Equal("listpack", await db.KeyEncodingAsync(h));
        var wrongType = await Assert.ThrowsAsync<RedisServerException>(() => da.StringGetAsync(h));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", wrongType.Message);
        await db.StringSetAsync(K("s"), "v");
        await Assert.ThrowsAsync<RedisServerException>(() => da.HashSetAsync(K("s"), "f", "v"));

        Assert.True(await db.KeyExpireAsync(h, TimeSpan.FromSeconds(100)));
        Assert.NotNull(await da.KeyTimeToLiveAsync(h));
        Assert.True(await db.KeyPersistAsync(h));
        Assert.Equal(2, await da.HashDeleteAsync(h, ["a", "b", "zz"]));
        Assert.Equal(3, await db.HashDeleteAsync(h, ["c", "d", "f"]));
        Assert.False(await da.KeyExistsAsync(h));
        Assert.Equal(RedisType.None, await db.KeyTypeAsync(h));
    }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task List_commands_work_through_stackexchange_redis(RedisProtocol protocol)
    {
        await using var a = await ConnectAsync(0, protocol);
        await using var b = await ConnectAsync(1, protocol);
        var (da, db) = (a.GetDatabase(), b.GetDatabase());
        var l = K("l");

        Assert.Equal(3, await da.ListRightPushAsync(l, ["a", "b", "c"]));
        Assert.Equal(4, await db.ListLeftPushAsync(l, "z"));
        Assert.Equal(0, await da.ListLeftPushAsync(K("none"), "x", When.Exists));
        Assert.Equal(["z", "a", "b", "c"], (await db.ListRangeAsync(l)).Select(v => (string)v!));
        Assert.Equal("z", (string?)await da.ListLeftPopAsync(l));
        Assert.Equal(["c", "b"], (await db.ListRightPopAsync(l, 2))!.Select(v => (string)v!));
        Assert.Null((string?)await da.ListLeftPopAsync(K("none")));
        Assert.Equal(2, await db.ListInsertAfterAsync(l, "a", "b"));
        Assert.Equal(1, await da.ListPositionAsync(l, "b"));
        var positions = await db.ListPositionsAsync(l, "b", 0);
        Assert.Equal(new long[] { 1 }, positions);
        await da.ListSetByIndexAsync(l, 0, "A");
        Assert.Equal("A", (string?)await db.ListGetByIndexAsync(l, 0));
        Assert.Equal(2, await da.ListLengthAsync(l));
        Assert.Equal(RedisType.List, await db.KeyTypeAsync(l));
        Assert.Equal("b", (string?)await da.ListMoveAsync(l, l, ListSide.Right, ListSide.Left));
        var popped = await db.ListLeftPopAsync([l], 5);
        Assert.Equal(l, (string?)popped.Key);
        Assert.Equal(["b", "A"], popped.Values.Select(v => (string)v!));
        Assert.True((await da.ListLeftPopAsync([l], 1)).IsNull);
        Assert.False(await db.KeyExistsAsync(l));
    }

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task Set_commands_work_through_stackexchange_redis(RedisProtocol protocol)
    {
        await using var a = await ConnectAsync(0, protocol);
        await using var b = await ConnectAsync(1, protocol);
        var (da, db) = (a.GetDatabase(), b.GetDatabase());
        var s = K("set");
        var t = Enumerable.Range(0, 100_000).Select(i => K($"t{i}")).First(k => KeyHasher.PartitionOf(k, Partitions) != KeyHasher.PartitionOf(s, Partitions));

        Assert.Equal(3, await da.SetAddAsync(s, ["a", "b", "c"]));
        Assert.False(await db.SetAddAsync(s, "a"));
        Assert.True(await da.SetContainsAsync(s, "b"));
        Assert.Equal(new[] { true, false }, await db.SetContainsAsync(s, ["a", "zz"]));
        Assert.Equal(3, await da.SetLengthAsync(s));
        Assert.Equal(["a", "b", "c"], (await db.SetMembersAsync(s)).Select(v => (string)v!).Order());
        Assert.Equal(2, (await da.SetRandomMembersAsync(s, 2)).Distinct().Count());
        Assert.Equal(5, (await db.SetRandomMembersAsync(s, -5)).Length);
        await db.SetAddAsync(t, ["b", "z"]);
        Assert.Equal(["b"], (await da.SetCombineAsync(SetOperation.Intersect, s, t)).Select(v => (string)v!));
        Assert.Equal(4, (await db.SetCombineAsync(SetOperation.Union, s, t)).Length);
        var popped = (string?)await da.SetPopAsync(s);
        Assert.Contains(popped, new[] { "a", "b", "c" });
        Assert.Equal(2, (await db.SetPopAsync(s, 5)).Length);
        Assert.False(await da.KeyExistsAsync(s));
        await da.SetAddAsync(s, ["m1", "m2", "m3"]);
        var scanned = new List<string>();
        await foreach (var member in db.SetScanAsync(s, "m*", pageSize: 1))
            scanned.Add(member!);
        Assert.Equal(["m1", "m2", "m3"], scanned.Order());
        Assert.Equal(RedisType.Set, await da.KeyTypeAsync(s));
        Assert.Equal("listpack", await db.KeyEncodingAsync(s));
        var wrongType = await Assert.ThrowsAsync<RedisServerException>(() => da.StringGetAsync(s));
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", wrongType.Message);
    }

    [Fact]
    public async Task Keys_stops_paging_when_its_client_leaves()
    {
        await using var a = await ConnectAsync(0, RedisProtocol.Resp2);
        var db = a.GetDatabase();
        // KEYS pages 1,000 keys at a time: with 8,000 keys it has steps left when its client is gone.
        for (var batch = 0; batch < 8; batch++)
            await db.StringSetAsync(Enumerable.Range(batch * 1000, 1000)
                .Select(i => new KeyValuePair<RedisKey, RedisValue>(K("many:" + i), "v")).ToArray());
        async Task<long> AbandonedAsync()
        {
            var stats = (string)(await db.ExecuteAsync("INFO", "stats"))!;
            var line = stats.Split("\r\n").FirstOrDefault(l => l.StartsWith("distcache_abandoned_commands:", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line[(line.IndexOf(':') + 1)..]);
        }
        var before = await AbandonedAsync();
        Assert.True(before >= 0, "INFO stats reports distcache_abandoned_commands");

        using (var leaving = await RawSocket.OpenAsync(fixture.Servers[0].Port))
            await leaving.SendAsync(System.Text.Encoding.ASCII.GetBytes($"KEYS {K("nothing")}*\r\n"));

        await Eventually.TrueAsync(async () => await AbandonedAsync() > before, "KEYS stopped once its client left", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Exists_touch_and_del_over_thousands_of_keys_on_every_node_count_each_key()
    {
        await using var a = await ConnectAsync(1, RedisProtocol.Resp2);
        var db = a.GetDatabase();
        var keys = Enumerable.Range(0, 3000).Select(i => (RedisKey)K("grouped:" + i)).ToArray();
        await db.StringSetAsync(keys.Select(k => new KeyValuePair<RedisKey, RedisValue>(k, "v")).ToArray());
        // Two missing keys, and one key named twice (counted twice, as in Redis).
        var asked = keys.Append(K("grouped:missing")).Append(keys[7]).Append(K("grouped:missing2")).Select(k => (object)k.ToString()).ToArray();

        Assert.Equal(3001, (long)await db.ExecuteAsync("EXISTS", asked));
        Assert.Equal(3001, (long)await db.ExecuteAsync("TOUCH", asked));
        Assert.Equal(3000, (long)await db.ExecuteAsync("DEL", asked));
        Assert.Equal(0, (long)await db.ExecuteAsync("EXISTS", asked));
    }
}
