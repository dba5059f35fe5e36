using DistCache.Client;
using DistCache.Client.Collections;
using DistCache.Protocol;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Client;

/// <summary>The typed list, set and sorted-set handles (<c>List&lt;T&gt;</c>, <c>Set&lt;T&gt;</c>,
/// <c>SortedSet&lt;T&gt;</c>) against a real node: records and numbers through <see cref="ElementCodec"/>.</summary>
[Collection(NodeCollection.Name)]
public sealed class CollectionHandleClientTests(NodeFixture fixture)
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8] + ":";

    private string K(string name) => _prefix + name;

    private string SamePartitionAs(string key)
    {
        var partitions = fixture.Node.Settings.Partitions;
        return Enumerable.Range(0, 2_000_000).Select(i => K($"p{i}"))
            .First(k => k != key && DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of(key));
    }

    private sealed record Job(string Name, int Priority);

    // Not ToArrayAsync: System.Linq.Async (a dependency's) and .NET 10 both define it, so the call is ambiguous.
    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items)
            all.Add(item);
        return all;
    }

    [Fact]
    public async Task A_list_handle_pushes_pops_and_edits_records_and_numbers()
    {
        await using var client = fixture.Connect();
        var jobs = client.List<Job>(K("jobs"));
        Job a = new("a", 1), b = new("b", 2), c = new("c", 3);
        Assert.Equal(0, await jobs.LeftPushIfExistsAsync([a]));
        Assert.Equal(2, await jobs.RightPushAsync([a, b]));
        Assert.Equal(3, await jobs.LeftPushAsync(c));
        Assert.Equal([c, a, b], await jobs.RangeAsync());
        Assert.Equal(4, await jobs.InsertAfterAsync(a, c));
        Assert.Equal(-1, await jobs.InsertBeforeAsync(new Job("zz", 0), a));
        Assert.Equal(3, await jobs.PositionAsync(b));
        Assert.Equal(2, await jobs.PositionAsync(c, rank: 2));
        Assert.Equal(2, await jobs.RemoveAsync(c));
        await jobs.SetByIndexAsync(-1, b with { Priority = 9 });
        Assert.Equal(new Job("b", 9), await jobs.GetByIndexAsync(1));
        Assert.Equal((false, null), await jobs.TryGetByIndexAsync(5));
        Assert.Equal(a, await jobs.LeftPopAsync());
        Assert.Equal(1, await jobs.LengthAsync());
        Assert.Equal([new Job("b", 9)], await jobs.RightPopAsync(5));
        Assert.Equal((false, null), await jobs.TryRightPopAsync());
        Assert.False(await client.ExistsAsync(K("jobs")));

        // Numbers are digits in the list: the text methods read what the handle wrote, and a popped 0 is found.
        var numbers = client.List<long>(K("numbers"));
        Assert.Equal(4, await numbers.RightPushAsync([0L, 1L, -2L, long.MaxValue]));
        Assert.Equal("-2", await client.ListGetByIndexAsync(K("numbers"), 2));
        Assert.Equal((true, 0L), await numbers.TryLeftPopAsync());
        await numbers.TrimAsync(1, -1);
        Assert.Equal(new[] { -2L, long.MaxValue }, await numbers.RangeAsync());
        Assert.Equal(new[] { long.MaxValue, -2L }, await numbers.RightPopAsync(2));
    }

    [Fact]
    public async Task A_set_handle_adds_tests_pops_and_moves_members()
    {
        await using var client = fixture.Connect();
        var ids = client.Set<long>(K("ids"));
        Assert.Equal(3, await ids.AddAsync([1L, 2L, 3L, 2L]));
        Assert.False(await ids.AddAsync(3L));
        Assert.True(await ids.ContainsAsync(1L));
        Assert.Equal(new[] { true, false }, await ids.ContainsAsync([2L, 9L]));
        Assert.Equal(new[] { 1L, 2L, 3L }, (await ids.MembersAsync()).Order());
        Assert.True(await client.SetContainsAsync(K("ids"), 2L));
        Assert.Equal(3, await ids.CountAsync());
        Assert.Contains(await ids.RandomMemberAsync(), new[] { 1L, 2L, 3L });
        Assert.Equal(3, (await ids.RandomMembersAsync(-3)).Length);

        var destination = SamePartitionAs(K("ids"));
        Assert.True(await ids.MoveToAsync(destination, 3L));
        Assert.False(await ids.MoveToAsync(destination, 3L));
        Assert.Equal(new[] { 3L }, await client.Set<long>(destination).MembersAsync());
        Assert.Equal(1, await ids.RemoveAsync([1L, 9L]));
        Assert.Equal((true, 2L), await ids.TryPopAsync());
        Assert.Empty(await ids.PopAsync(5));
        Assert.Equal((false, 0L), await ids.TryPopAsync());

        // A record is one JSON member: the same record is the same member.
        var jobs = client.Set<Job>(K("jobs"));
        Assert.Equal(2, await jobs.AddAsync([new Job("a", 1), new Job("b", 2), new Job("a", 1)]));
        Assert.True(await jobs.RemoveAsync(new Job("a", 1)));
        Assert.Equal([new Job("b", 2)], await jobs.PopAsync(2));
    }

    [Fact]
    public async Task A_sorted_set_handle_scores_ranks_ranges_and_pops_records()
    {
        await using var client = fixture.Connect();
        var board = client.SortedSet<Job>(K("board"));
        Job a = new("a", 1), b = new("b", 2), c = new("c", 3);
        Assert.Equal(3, await board.AddAsync([(a, 10), (b, 20), (c, 30)]));
        Assert.False(await board.AddAsync(a, 15));
        Assert.False(await board.AddAsync(b, 99, SortedSetWhen.IfAbsent));
        Assert.False(await board.AddAsync(new Job("x", 0), 1, SortedSetWhen.IfPresent));
        Assert.Equal(15, await board.ScoreAsync(a));
        Assert.Null(await board.ScoreAsync(new Job("x", 0)));
        Assert.Equal(25, await board.IncrementAsync(a, 10));
        Assert.Equal(3, await board.CountAsync());
        Assert.Equal(0, await board.RankAsync(b));
        Assert.Equal(0, await board.RankAsync(c, descending: true));
        Assert.Null(await board.RankAsync(new Job("x", 0)));
        Assert.Equal([b, a, c], await board.RangeByRankAsync());
        Assert.Equal([(c, 30.0), (a, 25.0)], await board.RangeByRankWithScoresAsync(0, 1, descending: true));
        Assert.Equal([a, c], await board.RangeByScoreAsync(20, 30, excludeMin: true));
        Assert.Equal([(a, 25.0)], await board.RangeByScoreWithScoresAsync(descending: true, skip: 1, take: 1));
        Assert.Equal([(b, 20.0)], await board.PopAsync());
        Assert.Equal([(c, 30.0), (a, 25.0)], await board.PopAsync(5, max: true));
        Assert.Empty(await board.PopAsync());

        // Numbers as members are their digits, so the text methods see them.
        var scores = client.SortedSet<long>(K("scores"));
        Assert.Equal(2, await scores.AddAsync([(7L, 1.5), (-7L, double.NegativeInfinity)]));
        Assert.Equal(["-7", "7"], await client.SortedSetRangeByRankAsync(K("scores")));
        Assert.True(await scores.RemoveAsync(7L));
        Assert.Equal(new[] { -7L }, await scores.RangeByRankAsync());
    }

    [Fact]
    public async Task Handles_on_a_key_of_another_type_or_with_unreadable_elements_throw_as_the_hash_handle_does()
    {
        await using var client = fixture.Connect();
        await client.SetAsync(K("text"), "plain");
        await Assert.ThrowsAsync<WrongTypeException>(() => client.List<string>(K("text")).RangeAsync());
        await Assert.ThrowsAsync<WrongTypeException>(() => client.Set<string>(K("text")).AddAsync("m"));
        await Assert.ThrowsAsync<WrongTypeException>(() => client.SortedSet<string>(K("text")).CountAsync());
        await Assert.ThrowsAsync<WrongTypeException>(() => Collect(client.Set<long>(K("text")).ScanAsync()));

        await client.ListRightPushAsync(K("words"), "one");
        await Assert.ThrowsAsync<ValueTypeMismatchException>(() => client.List<long>(K("words")).RangeAsync());
        await client.SetAddAsync(K("names"), "ann");
        await Assert.ThrowsAsync<ValueTypeMismatchException>(() => client.Set<Job>(K("names")).MembersAsync());
        await client.SortedSetAddAsync(K("ranks"), "bob", 1);
        await Assert.ThrowsAsync<ValueTypeMismatchException>(() => client.SortedSet<int>(K("ranks")).RangeByRankAsync());
    }

    [Fact]
    public async Task Scans_give_every_member_once_and_stop_when_cancelled()
    {
        await using var client = fixture.Connect();
        // 300 members: past the 128 a set answers in one page, so the scans take several.
        var set = client.Set<int>(K("s"));
        await set.AddAsync(Enumerable.Range(0, 300));
        Assert.Equal(Enumerable.Range(0, 300), (await Collect(set.ScanAsync(pageSize: 50))).Order());
        var zset = client.SortedSet<Job>(K("z"));
        await zset.AddAsync(Enumerable.Range(0, 300).Select(i => (new Job($"j{i}", i), (double)i)));
        var entries = await Collect(zset.ScanAsync(pageSize: 50));
        Assert.Equal(300, entries.Count);
        Assert.All(entries, e => Assert.Equal(e.Member.Priority, e.Score));
        Assert.Equal(300, (await Collect(client.SortedSetScanAsync(K("z"), pageSize: 50))).DistinctBy(e => e.Key).Count());

        // Cancelled while it reads, the scan ends at the next page it would fetch.
        using var cancel = new CancellationTokenSource();
        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in zset.ScanAsync(pageSize: 50, cancel.Token))
            {
                read++;
                await cancel.CancelAsync();
            }
        });
        Assert.InRange(read, 1, 299);
    }

    [Fact]
    public async Task A_blocking_pop_on_a_handle_is_served_by_a_push_from_another_client()
    {
        await using var client = fixture.Connect();
        await using var pusher = fixture.Connect();
        var queue = client.List<Job>(K("queue"));
        Assert.Equal((false, null), await queue.BlockingLeftPopAsync(TimeSpan.FromMilliseconds(100)));

        // Sent before the push; whichever reaches the partition first, the pop answers the pushed job.
        var waiting = queue.BlockingRightPopAsync(TimeSpan.FromSeconds(10));
        await pusher.List<Job>(K("queue")).LeftPushAsync(new Job("late", 5));
        Assert.Equal((true, new Job("late", 5)), await waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        var board = client.SortedSet<long>(K("board"));
        var popMax = board.BlockingPopAsync(TimeSpan.FromSeconds(10), max: true);
        await pusher.SortedSet<long>(K("board")).AddAsync([(1L, 1), (2L, 2)]);
        Assert.Equal((2L, 2.0), await popMax.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(new[] { 1L }, await board.RangeByRankAsync());
        Assert.Null(await client.SortedSet<long>(K("empty")).BlockingPopAsync(TimeSpan.FromMilliseconds(100)));
    }
}
