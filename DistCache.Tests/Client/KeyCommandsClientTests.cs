using DistCache.Client;
using DistCache.Protocol;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Client;

/// <summary>The .NET client's Redis 7 string, key and expiry methods against a real node.</summary>
public sealed class KeyCommandsClientTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8] + ":";

    private string K(string name) => _prefix + name;

    private string SamePartitionAs(string key, bool same)
    {
        var partitions = fixture.Node.Settings.Partitions;
        return Enumerable.Range(0, 100_000).Select(i => K($"p{i}"))
            .First(k => k != key && (KeyHasher.PartitionOf(k, partitions) == KeyHasher.PartitionOf(key, partitions)) == same);
    }

    [Fact]
    public async Task Hash_methods_set_read_count_and_delete_fields()
    {
        await using var client = fixture.Connect();
        var h = K("h");
        Assert.Equal(2, await client.HashSetAsync(h, [KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "two")]));
        Assert.False(await client.HashSetAsync(h, "a", "one"));
        Assert.False(await client.HashSetIfAbsentAsync(h, "a", "x"));
        Assert.Equal("one", await client.HashGetAsync(h, "a"));
        Assert.Null(await client.HashGetAsync(h, "zz"));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "one", ["b"] = "two" }, await client.HashGetAllAsync(h));
        Assert.Equal(5, await client.HashIncrementAsync(h, "n", 5));
        Assert.Equal("0.5", await client.HashIncrementByFloatAsync(h, "f", 0.5));
        var notInteger = await Assert.ThrowsAsync<DistCacheException>(() => client.HashIncrementAsync(h, "b"));
        Assert.Equal(CacheErrorCode.HashValueNotInteger, notInteger.Code);
        Assert.Equal(4, await client.HashLengthAsync(h));
        Assert.Equal("hash", await client.TypeAsync(h));
        var wrongType = await Assert.ThrowsAsync<WrongTypeException>(() => client.GetAsync<string>(h));
        Assert.Equal(CacheErrorCode.WrongType, wrongType.Code);
        Assert.Equal(4, await client.HashDeleteAsync(h, "a", "b", "n", "f", "zz"));
        Assert.Equal("none", await client.TypeAsync(h));
        Assert.False(await client.ExistsAsync(h));
    }

    [Fact]
    public async Task Set_methods_add_read_pop_move_and_combine_members()
    {
        await using var client = fixture.Connect();
        var s = K("s");
        Assert.Equal(3, await client.SetAddAsync(s, ["a", "b", "c", "a"]));
        Assert.False(await client.SetAddAsync(s, "a"));
        Assert.True(await client.SetContainsAsync(s, "b"));
        Assert.Equal(new[] { true, false }, await client.SetContainsAsync(s, ["a", "zz"]));
        Assert.Equal(new[] { "a", "b", "c" }, (await client.SetMembersAsync<string>(s)).Order());
        Assert.Equal(3, await client.SetLengthAsync(s));
        Assert.Equal("set", await client.TypeAsync(s));
        var popped = await client.SetPopAsync<string>(s);
        Assert.Contains(popped, new[] { "a", "b", "c" });
        Assert.Equal(2, await client.SetLengthAsync(s));
        var same = SamePartitionAs(s, same: true);
        Assert.Equal(2, await client.SetAddAsync(same, [popped!, "d"]));
        Assert.Equal(4, await client.SetCombineAndStoreAsync(SetOperation.Union, same, same, s));
        var other = SamePartitionAs(s, same: false);
        var cross = await Assert.ThrowsAsync<DistCacheException>(() => client.SetCombineAndStoreAsync(SetOperation.Union, other, s));
        Assert.Equal(CacheErrorCode.CrossPartition, cross.Code);
        await client.SetAddAsync(other, [1L, 2L]);
        Assert.Equal(new[] { 1L, 2L }, (await client.SetMembersAsync<long>(other)).Order());
        Assert.Empty(await client.SetCombineAsync<string>(SetOperation.Intersect, s, other));
        Assert.Equal(4, (await client.SetCombineAsync<string>(SetOperation.Union, s, other)).Length);
        Assert.Equal(2, await client.SetIntersectionLengthAsync([s, same]));
        Assert.Equal(2, await client.SetRemoveAsync(s, ["a", "b", "c", "zz"]));
        Assert.False(await client.ExistsAsync(s));
        Assert.True(await client.SetMoveAsync(same, s, "d"));
        Assert.Equal(new[] { "d" }, await client.SetMembersAsync<string>(s));
        var wrongType = await Assert.ThrowsAsync<WrongTypeException>(() => client.GetAsync<string>(s));
        Assert.Equal(CacheErrorCode.WrongType, wrongType.Code);
        var scanned = new List<string>();
        await foreach (var member in client.SetScanAsync<string>(same, pageSize: 1))
            scanned.Add(member);
        Assert.Equal((await client.SetMembersAsync<string>(same)).Order(), scanned.Order());
    }

    [Fact]
    public async Task Byte_keys_are_their_own_keys_through_the_core_methods()
    {
        await using var client = fixture.Connect();
        byte[] B(params byte[] tail) => [.. System.Text.Encoding.ASCII.GetBytes(_prefix), .. tail];
        byte[] ff = B(0xff), fe = B(0xfe), nul = B(0x00);

        await client.SetAsync(ff, "one");
        await client.SetAsync(fe, "two", TimeSpan.FromMinutes(5));
        Assert.True(await client.AddAsync(nul, "three"));
        Assert.Equal("one", await client.GetAsync<string>(ff));
        Assert.Equal("two", await client.GetAsync<string>(fe));
        Assert.Equal(["one", "two", "three", null], await client.GetManyAsync<string>([ff, fe, nul, B(0xfd)]));
        Assert.True(await client.ExistsAsync(nul));
        Assert.Null(await client.TtlAsync(ff));
        Assert.True(await client.ExpireAsync(ff, TimeSpan.FromMinutes(1)));
        Assert.NotNull(await client.TtlAsync(ff));
        Assert.Equal(2, await client.IncrementAsync(CacheKey.Copy(B(0xfd).AsSpan()), 2));
        Assert.True(await client.DeleteAsync(fe));
        Assert.Equal("one", await client.GetAsync<string>(ff));

        var (keys, _) = await client.ScanKeysAsync("0", 10_000);
        Assert.Contains(new CacheKey(ff), keys);
        Assert.DoesNotContain(new CacheKey(fe), keys);
        Assert.Contains($"\"{_prefix}\\xff\"", await client.KeysAsync(_prefix + "*"));
    }

    [Fact]
    public async Task Expire_options_expiretime_and_touch()
    {
        await using var client = fixture.Connect();
        await client.SetAsync(K("e"), "v");
        Assert.False(await client.ExpireAsync(K("e"), TimeSpan.FromSeconds(100), ExpireConditions.IfLater));
        Assert.Equal(-1, await client.ExpireTimeAsync(K("e")));
        Assert.True(await client.ExpireAsync(K("e"), TimeSpan.FromSeconds(100), ExpireConditions.IfNoExpiry));
        Assert.False(await client.ExpireAsync(K("e"), TimeSpan.FromSeconds(50), ExpireConditions.IfLater));
        Assert.True(await client.ExpireAsync(K("e"), TimeSpan.FromSeconds(50), ExpireConditions.IfEarlier | ExpireConditions.IfHasExpiry));
        var expected = DateTimeOffset.UtcNow.AddSeconds(50).ToUnixTimeMilliseconds();
        Assert.InRange(await client.ExpireTimeAsync(K("e")), expected - 5_000, expected + 100);
        var at = DateTimeOffset.UtcNow.AddHours(1);
        Assert.True(await client.ExpireAtAsync(K("e"), at, ExpireConditions.IfLater));
        Assert.Equal(at.ToUnixTimeMilliseconds(), await client.ExpireTimeAsync(K("e")));
        Assert.Equal(-2, await client.ExpireTimeAsync(K("missing")));
        Assert.True(await client.TouchAsync(K("e")));
        Assert.False(await client.TouchAsync(K("missing")));
    }

    [Fact]
    public async Task Ranges_and_float_increments()
    {
        await using var client = fixture.Connect();
        await client.SetAsync(K("s"), "Hello World");
        Assert.Equal("World", await client.GetRangeAsync(K("s"), -5, -1));
        Assert.Equal(11, await client.SetRangeAsync(K("s"), 6, "Redis"));
        Assert.Equal("Hello Redis", await client.GetAsync<string>(K("s")));
        Assert.Empty(await client.GetRangeBytesAsync(K("pad"), 0, -1));
        Assert.Equal(3, await client.SetRangeAsync(K("pad"), 2, "x"u8.ToArray()));
        Assert.Equal([0, 0, (byte)'x'], await client.GetRangeBytesAsync(K("pad"), 0, -1));
        Assert.Equal("10.6", await client.IncrementByFloatAsync(K("f"), 10.6));
        Assert.Equal("10.7", await client.IncrementByFloatAsync(K("f"), 0.1));
        var notFloat = await Assert.ThrowsAsync<DistCacheException>(() => client.IncrementByFloatAsync(K("s"), 1));
        Assert.Equal(CacheErrorCode.NotAFloat, notFloat.Code);
    }

    [Fact]
    public async Task Keys_lists_what_matches_the_pattern()
    {
        await using var client = fixture.Connect();
        await client.SetManyAsync(Enumerable.Range(0, 20).Select(i => KeyValuePair.Create(K($"user:{i}"), "v")));
        await client.SetAsync(K("other"), "v");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => K($"user:{i}")).Order(StringComparer.Ordinal),
            (await client.KeysAsync(K("user:*"))).Order(StringComparer.Ordinal));
        Assert.Equal([K("user:3")], await client.KeysAsync(K("user:[3]")));
    }

    [Fact]
    public async Task Msetnx_rename_and_copy_within_a_partition_and_refused_across()
    {
        await using var client = fixture.Connect();
        var a = K("a");
        var b = SamePartitionAs(a, same: true);
        var c = SamePartitionAs(a, same: false);
        Assert.True(await client.SetManyIfAbsentAsync([KeyValuePair.Create(a, "1"), KeyValuePair.Create(b, "2")]));
        Assert.False(await client.SetManyIfAbsentAsync([KeyValuePair.Create(a, "x")]));
        var cross = await Assert.ThrowsAsync<DistCacheException>(() => client.SetManyIfAbsentAsync([KeyValuePair.Create(a, "1"), KeyValuePair.Create(c, "2")]));
        Assert.Equal(CacheErrorCode.CrossPartition, cross.Code);

        Assert.False(await client.RenameIfAbsentAsync(a, b));
        await client.RenameAsync(a, b);
        Assert.Equal("1", await client.GetAsync<string>(b));
        Assert.False(await client.ExistsAsync(a));
        var missing = await Assert.ThrowsAsync<DistCacheException>(() => client.RenameAsync(a, b));
        Assert.Equal(CacheErrorCode.NoSuchKey, missing.Code);
        Assert.Equal(CacheErrorCode.CrossPartition, (await Assert.ThrowsAsync<DistCacheException>(() => client.RenameAsync(b, c))).Code);

        Assert.True(await client.CopyAsync(b, a));
        Assert.False(await client.CopyAsync(b, a));
        await client.SetAsync(b, "2");
        Assert.True(await client.CopyAsync(b, a, replace: true));
        Assert.Equal("2", await client.GetAsync<string>(a));
        Assert.Equal(CacheErrorCode.CrossPartition, (await Assert.ThrowsAsync<DistCacheException>(() => client.CopyAsync(b, c))).Code);
    }
}
