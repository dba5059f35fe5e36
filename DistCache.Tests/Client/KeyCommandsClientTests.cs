using DistCache.Client;
using DistCache.Client.Collections;
using DistCache.Protocol;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Client;

/// <summary>The .NET client's Redis 7 string, key and expiry methods against a real node.</summary>
[Collection(NodeCollection.Name)]
public sealed class KeyCommandsClientTests(NodeFixture fixture)
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8] + ":";

    private string K(string name) => _prefix + name;

    private string SamePartitionAs(string key, bool same)
    {
        var partitions = fixture.Node.Settings.Partitions;
        return Enumerable.Range(0, 2_000_000).Select(i => K($"p{i}"))
            .First(k => k != key && (DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of(key)) == same);
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

    private sealed record Session(string User, int Visits, string[] Roles);

    [Fact]
    public async Task A_typed_hash_handle_stores_records_and_numbers_and_scans_every_field_once()
    {
        await using var client = fixture.Connect();
        var sessions = client.Hash<Session>(K("sessions"));
        Assert.True(await sessions.SetAsync("s1", new Session("ann", 3, ["admin"])));
        Assert.False(await sessions.AddAsync("s1", new Session("bob", 1, [])));
        var s1 = await sessions.GetAsync("s1");
        Assert.Equal(("ann", 3), (s1!.User, s1.Visits));
        Assert.Equal(["admin"], s1.Roles);
        Assert.Equal((false, null), await sessions.TryGetAsync("missing"));

        // Numbers are digits in the hash, so HINCRBY adds to what the handle stored.
        var counters = client.Hash<long>(K("counters"));
        Assert.Equal(2, await counters.SetAsync([KeyValuePair.Create("a", 40L), KeyValuePair.Create("b", -1L)]));
        Assert.Equal(42, await counters.IncrementAsync("a", 2));
        Assert.Equal([42L, 0L, -1L], await counters.GetManyAsync("a", "zz", "b"));
        Assert.Equal("42", await client.HashGetAsync(K("counters"), "a"));
        Assert.True(await counters.ContainsAsync("b"));

        // 600 fields: several HSCAN pages (past the 128 Redis answers whole), each field once.
        var big = client.Hash<int>(K("big"));
        await big.SetAsync(Enumerable.Range(0, 600).Select(i => KeyValuePair.Create($"f{i}", i)));
        var seen = new Dictionary<string, int>();
        await foreach (var (field, value) in big.ScanAsync(pageSize: 50))
            seen.Add(field, value);
        Assert.Equal(600, seen.Count);
        Assert.All(seen, f => Assert.Equal($"f{f.Value}", f.Key));
        Assert.Equal(600, await big.CountAsync());
        Assert.Equal(2, await big.RemoveAsync("f0", "f1", "nope"));
        Assert.Equal(598, (await big.GetAllAsync()).Count);

        // A string read through a typed hash handle is the wrong type, not a decoding error.
        await client.SetAsync(K("text"), "plain");
        await Assert.ThrowsAsync<WrongTypeException>(() => client.Hash<string>(K("text")).GetAsync("f"));
        await Assert.ThrowsAsync<ValueTypeMismatchException>(() => client.Hash<long>(K("sessions")).GetAsync("s1"));
    }

    [Fact]
    public async Task Blocking_pops_wait_for_a_push_time_out_and_a_cancelled_one_takes_nothing()
    {
        await using var client = fixture.Connect();
        await using var pusher = fixture.Connect();
        var q = K("bq");
        Assert.Null(await client.ListBlockingLeftPopAsync([q], TimeSpan.FromMilliseconds(200)));

        var waiting = client.ListBlockingRightPopAsync([q], TimeSpan.FromSeconds(30));
        // The waiter is in the partition before the push only if the push comes after it: push until it is served.
        await Eventually.TrueAsync(async () =>
        {
            await pusher.ListLeftPushAsync(q, "job");
            return waiting.IsCompleted;
        }, "the blocked pop is served by a push", TimeSpan.FromSeconds(20));
        Assert.Equal(((CacheKey)q, "job"), (await waiting)!.Value);

        var z = K("bz");
        var popMin = client.SortedSetBlockingPopAsync([z], timeout: null);
        await Eventually.TrueAsync(async () =>
        {
            await pusher.SortedSetAddAsync(z, "m", 2.5);
            return popMin.IsCompleted;
        }, "the blocked ZPOPMIN is served", TimeSpan.FromSeconds(20));
        Assert.Equal(("m", 2.5), ((await popMin)!.Value.Member, (await popMin)!.Value.Score));

        // Cancelled while it waits: it stops waiting in the partition, so the next push stays in the list.
        var empty = K("cancelled");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListBlockingLeftPopAsync([empty], TimeSpan.FromSeconds(30), cancel.Token));
        Assert.Equal(1, await pusher.ListLeftPushAsync(empty, "kept"));
        Assert.Equal(["kept"], await pusher.ListRangeAsync(empty));
    }

    [Fact]
    public async Task List_methods_push_pop_read_and_move_elements()
    {
        await using var client = fixture.Connect();
        var l = K("l");
        Assert.Equal(3, await client.ListRightPushAsync(l, "a", "b", "c"));
        Assert.Equal(4, await client.ListLeftPushAsync(l, "z"));
        Assert.Equal(0, await client.ListLeftPushIfExistsAsync(K("none"), "x"));
        Assert.Equal(["z", "a", "b", "c"], await client.ListRangeAsync(l));
        Assert.Equal("z", await client.ListLeftPopAsync(l));
        Assert.Equal(["c", "b"], await client.ListRightPopAsync(l, 2));
        Assert.Empty(await client.ListLeftPopAsync(K("none"), 2));
        Assert.Null(await client.ListRightPopAsync(K("none")));
        Assert.Equal(2, await client.ListInsertAfterAsync(l, "a", "b"));
        Assert.Equal(1, await client.ListPositionAsync(l, "b"));
        Assert.Equal(-1, await client.ListPositionAsync(l, "zz"));
        await client.ListSetByIndexAsync(l, -1, "B");
        Assert.Equal("B", await client.ListGetByIndexAsync(l, 1));
        var outOfRange = await Assert.ThrowsAsync<DistCacheException>(() => client.ListSetByIndexAsync(l, 5, "x"));
        Assert.Equal(CacheErrorCode.IndexOutOfRange, outOfRange.Code);
        Assert.Equal(2, await client.ListLengthAsync(l));
        Assert.Equal("list", await client.TypeAsync(l));
        var same = SamePartitionAs(l, true);
        Assert.Equal("B", await client.ListRightPopLeftPushAsync(l, same));
        var popped = await client.ListPopAsync([SamePartitionAs(same, true), same], ListSide.Left);
        Assert.Equal(same, popped!.Value.Key.ToString());
        Assert.Equal(["B"], popped.Value.Values);
        var cross = await Assert.ThrowsAsync<DistCacheException>(() => client.ListMoveAsync(l, SamePartitionAs(l, false), ListSide.Left, ListSide.Left));
        Assert.Equal(CacheErrorCode.CrossSlot, cross.Code);
        Assert.Equal(1, await client.ListRemoveAsync(l, "a"));
        Assert.False(await client.ExistsAsync(l));
    }

    [Fact]
    public async Task Sorted_set_methods_add_rank_range_increment_and_pop()
    {
        await using var client = fixture.Connect();
        var z = K("z");
        Assert.Equal(3, await client.SortedSetAddAsync(z, [KeyValuePair.Create("a", 1.0), KeyValuePair.Create("b", 2.0), KeyValuePair.Create("c", 3.0)]));
        Assert.False(await client.SortedSetAddAsync(z, "a", 1.5));
        Assert.Equal(1.5, await client.SortedSetScoreAsync(z, "a"));
        Assert.Null(await client.SortedSetScoreAsync(z, "zz"));
        Assert.Equal(5.0, await client.SortedSetIncrementAsync(z, "c", 2));
        Assert.Equal(0, await client.SortedSetRankAsync(z, "a"));
        Assert.Equal(0, await client.SortedSetRankAsync(z, "c", descending: true));
        Assert.Null(await client.SortedSetRankAsync(z, "zz"));
        Assert.Equal(["a", "b", "c"], await client.SortedSetRangeByRankAsync(z));
        Assert.Equal(["b", "a"], await client.SortedSetRangeByScoreAsync(z, 1, 2, descending: true));
        Assert.Equal([KeyValuePair.Create("c", 5.0)], await client.SortedSetRangeByScoreWithScoresAsync(z, 2, double.PositiveInfinity, excludeStart: true));
        Assert.Equal(3, await client.SortedSetLengthAsync(z));
        Assert.Equal("zset", await client.TypeAsync(z));
        Assert.Equal([KeyValuePair.Create("c", 5.0)], await client.SortedSetPopAsync(z, 1, descending: true));
        Assert.Equal(1, await client.SortedSetRemoveAsync(z, "a", "zz"));
        var wrongType = await Assert.ThrowsAsync<WrongTypeException>(() => client.GetAsync<string>(z));
        Assert.Equal(CacheErrorCode.WrongType, wrongType.Code);
        Assert.Equal([KeyValuePair.Create("b", 2.0)], await client.SortedSetPopAsync(z, 5));
        Assert.False(await client.ExistsAsync(z));
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
        Assert.Equal(CacheErrorCode.CrossSlot, cross.Code);
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
        Assert.Equal(CacheErrorCode.CrossSlot, cross.Code);

        Assert.False(await client.RenameIfAbsentAsync(a, b));
        await client.RenameAsync(a, b);
        Assert.Equal("1", await client.GetAsync<string>(b));
        Assert.False(await client.ExistsAsync(a));
        var missing = await Assert.ThrowsAsync<DistCacheException>(() => client.RenameAsync(a, b));
        Assert.Equal(CacheErrorCode.NoSuchKey, missing.Code);
        Assert.Equal(CacheErrorCode.CrossSlot, (await Assert.ThrowsAsync<DistCacheException>(() => client.RenameAsync(b, c))).Code);

        Assert.True(await client.CopyAsync(b, a));
        Assert.False(await client.CopyAsync(b, a));
        await client.SetAsync(b, "2");
        Assert.True(await client.CopyAsync(b, a, replace: true));
        Assert.Equal("2", await client.GetAsync<string>(a));
        Assert.Equal(CacheErrorCode.CrossSlot, (await Assert.ThrowsAsync<DistCacheException>(() => client.CopyAsync(b, c))).Code);
    }
}
