using System.Text;
using DistCache.Client;
using DistCache.Protocol;

namespace DistCache.Tests.Support;

/// <summary>Hashes, lists, sorted sets and sets on most partitions, each written change by change (pushes,
/// pops, increments, removals), so what a planned stop, a move or a restart keeps of them is checked as for
/// strings. Write with a prefix, then assert with the same prefix.</summary>
public static class CollectionWorkload
{
    /// <summary>How many keys one prefix's collections make.</summary>
    public const int Keys = Hashes + Lists + SortedSets + Sets;

    public static async Task WriteAllAsync(DistCacheClient client, string prefix)
    {
        await WriteHashesAsync(client, prefix + "hash:");
        await WriteListsAsync(client, prefix + "list:");
        await WriteSortedSetsAsync(client, prefix + "zset:");
        await WriteSetsAsync(client, prefix + "set:");
    }

    public static async Task AssertAllAsync(DistCacheClient reader, string prefix)
    {
        await AssertHashesAsync(reader, prefix + "hash:");
        await AssertListsAsync(reader, prefix + "list:");
        await AssertSortedSetsAsync(reader, prefix + "zset:");
        await AssertSetsAsync(reader, prefix + "set:");
    }

    private const int Hashes = 64;

    private const int SortedSets = 32;

    // Sorted sets, written member by member, incremented and popped: the journal holds only the changes.
    private static async Task WriteSortedSetsAsync(DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, SortedSets).Select(async i =>
        {
            await client.ExecuteAsync(new SortedSetAdd(prefix + i, [new SortedSetEntry("low", -1), new SortedSetEntry("a", i)]));
            await client.ExecuteAsync(new SortedSetAdd(prefix + i, [new SortedSetEntry("a", 0.5)], Increment: true));
            await client.ExecuteAsync(new SortedSetPop(prefix + i, 1));
        }));

    private static async Task AssertSortedSetsAsync(DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < SortedSets; i++)
        {
            var entries = Assert.IsType<SortedSetEntries>(await reader.ExecuteAsync(new SortedSetRangeQuery(prefix + i, new RankRange(0, -1)))).Entries;
            Assert.Equal($"a={i + 0.5}", string.Join(",", entries.Select(e => $"{e!.Member}={e.Score}")));
        }
    }

    // Hashes on most partitions, each written field by field and counted up, so what a planned stop or a
    // move keeps of them is checked as for strings.
    private static async Task WriteHashesAsync(DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, Hashes).Select(async i =>
        {
            await client.ExecuteAsync(new HashSetFields(prefix + i, [new HashField("a", Encoding.UTF8.GetBytes("v" + i)), new HashField("gone", [1])]));
            await client.ExecuteAsync(new HashIncrementBy(prefix + i, "n", i));
            await client.ExecuteAsync(new HashDeleteFields(prefix + i, ["gone"]));
        }));

    private const int Sets = 32;

    // Sets written member by member, one popped exactly once, so what a stop or a move keeps of them is
    // checked as for hashes.
    private static async Task WriteSetsAsync(DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, Sets).Select(async i =>
        {
            await client.ExecuteAsync(new SetAddMembers(prefix + i, ["a", "b", "v" + i]));
            await client.ExecuteAsync(new SetRemoveMembers(prefix + i, ["a"]));
            await client.ExecuteAsync(new SetPop(prefix + i, 1));
        }));

    private static async Task AssertSetsAsync(DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < Sets; i++)
        {
            var members = Assert.IsType<SetMembers>(await reader.ExecuteAsync(new SetGetMembers(prefix + i))).Members;
            Assert.Single(members);
            Assert.Contains(members[0].ToString(), new[] { "b", "v" + i });
        }
    }

    private static async Task AssertHashesAsync(DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < Hashes; i++)
        {
            var fields = Assert.IsType<HashEntries>(await reader.ExecuteAsync(new HashGetAll(prefix + i))).Fields;
            Assert.Equal($"a=v{i},n={i}", string.Join(",", fields.OrderBy(f => f.Field).Select(f => $"{f.Field}={Encoding.UTF8.GetString(f.Value)}")));
        }
    }

    private const int Lists = 64;

    // Lists on most partitions, pushed, popped and edited element by element, so what a planned stop or a
    // move keeps of them is checked as for strings.
    private static async Task WriteListsAsync(DistCacheClient client, string prefix) =>
        await Task.WhenAll(Enumerable.Range(0, Lists).Select(async i =>
        {
            await client.ExecuteAsync(new ListPush(prefix + i, [Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("b"), Encoding.UTF8.GetBytes("c")], Left: false));
            await client.ExecuteAsync(new ListPop(prefix + i, Left: true));
            await client.ExecuteAsync(new ListSetIndex(prefix + i, -1, Encoding.UTF8.GetBytes("v" + i)));
        }));

    private static async Task AssertListsAsync(DistCacheClient reader, string prefix)
    {
        for (var i = 0; i < Lists; i++)
        {
            var items = Assert.IsType<ListItems>(await reader.ExecuteAsync(new ListRange(prefix + i, 0, -1))).Items!;
            Assert.Equal($"b,v{i}", string.Join(",", items.Select(Encoding.UTF8.GetString)));
        }
    }
}
