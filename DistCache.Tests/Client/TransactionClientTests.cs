using DistCache.Client;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Client;

/// <summary>The .NET client's transactions against the shared 3-node cluster: queued commands run together in
/// the partition of their slot, each task gets its own reply or its own error, a condition that no longer holds
/// runs nothing, and keys in two slots are refused as a whole.</summary>
[Collection(RespClusterCollection.Name)]
public sealed class TransactionClientTests(RespClusterFixture fixture)
{
    private readonly string _tag = "{ctx" + Guid.NewGuid().ToString("N")[..6] + "}";

    private string K(string name) => _tag + name;

    [Fact]
    public async Task Queued_commands_run_together_and_each_task_gets_its_reply_or_its_error()
    {
        await using var client = fixture.Cluster.Connect(TimeSpan.FromSeconds(30));
        await client.SetAsync(K("text"), "not a number");

        var tx = client.CreateTransaction();
        var one = tx.IncrementAsync(K("n"));
        var eleven = tx.IncrementAsync(K("n"), 10);
        var refused = tx.IncrementAsync(K("text"));
        var read = tx.GetAsync<long>(K("n"));
        var pushed = tx.AddAsync(new ListPush(K("l"), ["a"u8.ToArray()], Left: true));
        _ = tx.SetAsync(K("s"), "v");
        Assert.False(one.IsCompleted);

        Assert.True(await tx.ExecuteAsync());
        Assert.Equal((1L, 11L, 11L), (await one, await eleven, await read));
        Assert.Equal(CacheErrorCode.NotAnInteger, (await Assert.ThrowsAnyAsync<DistCacheException>(() => refused)).Code);
        Assert.Equal(new CounterValue(1), await pushed);
        Assert.Equal("v", await client.GetAsync<string>(K("s")));
    }

    [Fact]
    public async Task A_condition_that_no_longer_holds_runs_nothing_and_cancels_the_tasks()
    {
        await using var client = fixture.Cluster.Connect(TimeSpan.FromSeconds(30));
        await client.SetAsync(K("balance"), 100L);
        var seen = (await client.GetWithVersionAsync<long>(K("balance")))!;

        await client.IncrementAsync(K("balance"), 5); // another writer
        var stale = client.CreateTransaction().WhenUnchanged(K("balance"), seen.Version);
        var debit = stale.DecrementAsync(K("balance"), 30);
        Assert.False(await stale.ExecuteAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => debit);
        Assert.Equal(105, await client.GetAsync<long>(K("balance")));

        var fresh = (await client.GetWithVersionAsync<long>(K("balance")))!;
        var tx = client.CreateTransaction().WhenUnchanged(K("balance"), fresh.Version).WhenUnchanged(K("never"), 0);
        var left = tx.DecrementAsync(K("balance"), 30);
        Assert.True(await tx.ExecuteAsync());
        Assert.Equal(75, await left);
    }

    [Fact]
    public async Task A_change_of_only_the_time_to_live_fails_a_condition_and_a_cas_as_redis_watch_would()
    {
        await using var client = fixture.Cluster.Connect(TimeSpan.FromSeconds(30));
        await client.SetAsync(K("session"), "v");
        var seen = (await client.GetWithVersionAsync<string>(K("session")))!;

        Assert.True(await client.ExpireAsync(K("session"), TimeSpan.FromMinutes(10)));

        var stale = client.CreateTransaction().WhenUnchanged(K("session"), seen.Version);
        _ = stale.SetAsync(K("other"), "x");
        Assert.False(await stale.ExecuteAsync());
        Assert.False(await client.CompareAndSetAsync(K("session"), "w", seen.Version));
        var fresh = (await client.GetWithVersionAsync<string>(K("session")))!;
        Assert.True(await client.CompareAndSetAsync(K("session"), "w", fresh.Version));
    }

    [Fact]
    public async Task Keys_in_two_slots_are_refused_as_a_whole()
    {
        await using var client = fixture.Cluster.Connect(TimeSpan.FromSeconds(30));
        var other = Enumerable.Range(0, 1000).Select(i => $"ctx-other{i}").First(k => DistCache.Wire.KeySlot.Of(k) != DistCache.Wire.KeySlot.Of(K("a")));
        var tx = client.CreateTransaction();
        var set = tx.SetAsync(K("a"), "1");
        _ = tx.SetAsync(other, "2");
        Assert.Equal(CacheErrorCode.CrossSlot, (await Assert.ThrowsAnyAsync<DistCacheException>(tx.ExecuteAsync)).Code);
        await Assert.ThrowsAnyAsync<DistCacheException>(() => set);
        Assert.False(await client.ExistsAsync(K("a")));
    }
}
