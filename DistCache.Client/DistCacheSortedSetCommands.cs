using System.Runtime.CompilerServices;
using DistCache.Client.Collections;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Redis's sorted-set commands on <see cref="DistCacheClient"/> in StackExchange.Redis's naming,
/// members as UTF-8 text (<see cref="DistCacheClient.ExecuteAsync(IClientCommand)"/> with <see cref="SortedSetAdd"/> and the
/// other records of <c>DistCache.Protocol</c> takes bytes). Every write is exactly-once on retry (a retried
/// pop answers the members it popped and pops nothing more); a key of another type throws a
/// <see cref="DistCacheException"/> with <see cref="CacheErrorCode.WrongType"/>.</summary>
public static class DistCacheSortedSetCommands
{
    /// <summary>A typed handle on the sorted set at <paramref name="key"/>: its members of <typeparamref name="T"/>
    /// through <see cref="ElementCodec"/>, its entries as an <see cref="IAsyncEnumerable{T}"/> (ZSCAN).</summary>
    public static DistCacheSortedSet<T> SortedSet<T>(this DistCacheClient client, CacheKey key) => new(client, key);

    /// <summary>ZADD of one member: true when it was added, false when only its score changed.</summary>
    public static async Task<bool> SortedSetAddAsync(this DistCacheClient client, CacheKey key, string member, double score, SortedSetWhen when = SortedSetWhen.Always) =>
        await client.SortedSetAddAsync(key, [KeyValuePair.Create(member, score)], when).ConfigureAwait(false) == 1;

    /// <summary>ZADD: sets the members' scores; returns how many were added.</summary>
    public static async Task<long> SortedSetAddAsync(this DistCacheClient client, CacheKey key, IEnumerable<KeyValuePair<string, double>> members, SortedSetWhen when = SortedSetWhen.Always)
    {
        ArgumentNullException.ThrowIfNull(members);
        var entries = members.Select(m => new SortedSetEntry(m.Key, m.Value)).ToArray();
        return Expect<CounterValue>(await client.ExecuteAsync(new SortedSetAdd(key, entries, when)).ConfigureAwait(false)).Value;
    }

    /// <summary>ZINCRBY: adds <paramref name="by"/> to the member's score (a missing member starts at 0); returns the new score.</summary>
    public static async Task<double> SortedSetIncrementAsync(this DistCacheClient client, CacheKey key, string member, double by) =>
        Expect<SortedSetScore>(await client.ExecuteAsync(new SortedSetAdd(key, [new SortedSetEntry(member, by)], Increment: true)).ConfigureAwait(false)).Score;

    /// <summary>ZSCORE: the member's score, null when the member or the key is missing.</summary>
    public static async Task<double?> SortedSetScoreAsync(this DistCacheClient client, CacheKey key, string member) =>
        Expect<SortedSetEntries>(await client.ExecuteAsync(new SortedSetScores(key, [member])).ConfigureAwait(false)).Entries[0]?.Score;

    /// <summary>ZRANK (ZREVRANK when descending): the member's 0-based rank, null when it is missing.</summary>
    public static async Task<long?> SortedSetRankAsync(this DistCacheClient client, CacheKey key, string member, bool descending = false)
    {
        var rank = Expect<SortedSetRank>(await client.ExecuteAsync(new SortedSetRankOf(key, member, descending)).ConfigureAwait(false));
        return rank.Rank < 0 ? null : rank.Rank;
    }

    /// <summary>ZCARD: the member count, 0 for a missing key.</summary>
    public static async Task<long> SortedSetLengthAsync(this DistCacheClient client, CacheKey key) =>
        Expect<CounterValue>(await client.ExecuteAsync(new SortedSetLength(key)).ConfigureAwait(false)).Value;

    /// <summary>ZRANGE by rank (negative ranks count from the end), with scores.</summary>
    public static Task<KeyValuePair<string, double>[]> SortedSetRangeByRankWithScoresAsync(this DistCacheClient client, CacheKey key, long start = 0, long stop = -1, bool descending = false) =>
        client.RangeAsync(new SortedSetRangeQuery(key, new RankRange(start, stop), descending));

    /// <summary>ZRANGE by rank: the members only.</summary>
    public static async Task<string[]> SortedSetRangeByRankAsync(this DistCacheClient client, CacheKey key, long start = 0, long stop = -1, bool descending = false) =>
        [.. (await client.SortedSetRangeByRankWithScoresAsync(key, start, stop, descending).ConfigureAwait(false)).Select(e => e.Key)];

    /// <summary>ZRANGE BYSCORE (inclusive ends unless told), skipping <paramref name="skip"/> and taking <paramref name="take"/> (-1: all).</summary>
    public static Task<KeyValuePair<string, double>[]> SortedSetRangeByScoreWithScoresAsync(this DistCacheClient client, CacheKey key,
        double start = double.NegativeInfinity, double stop = double.PositiveInfinity, bool excludeStart = false, bool excludeStop = false,
        bool descending = false, long skip = 0, long take = -1) =>
        client.RangeAsync(new SortedSetRangeQuery(key, new ScoreRange(start, excludeStart, stop, excludeStop), descending, skip, take));

    /// <summary>ZRANGE BYSCORE: the members only.</summary>
    public static async Task<string[]> SortedSetRangeByScoreAsync(this DistCacheClient client, CacheKey key,
        double start = double.NegativeInfinity, double stop = double.PositiveInfinity, bool descending = false, long skip = 0, long take = -1) =>
        [.. (await client.SortedSetRangeByScoreWithScoresAsync(key, start, stop, descending: descending, skip: skip, take: take).ConfigureAwait(false)).Select(e => e.Key)];

    /// <summary>ZREM: removes the members; returns how many existed. The last member's removal deletes the key.</summary>
    public static async Task<long> SortedSetRemoveAsync(this DistCacheClient client, CacheKey key, params string[] members) =>
        Expect<CounterValue>(await client.ExecuteAsync(new SortedSetRemove(key, members.Select(m => (CacheKey)m).ToArray())).ConfigureAwait(false)).Value;

    /// <summary>ZPOPMIN (ZPOPMAX when descending): removes and returns up to <paramref name="count"/> members with their scores.</summary>
    public static async Task<KeyValuePair<string, double>[]> SortedSetPopAsync(this DistCacheClient client, CacheKey key, long count = 1, bool descending = false) =>
        Pairs(Expect<SortedSetEntries>(await client.ExecuteAsync(new SortedSetPop(key, count, descending)).ConfigureAwait(false)));

    /// <summary>ZSCAN: every member present for the whole scan, once, with its score, a page of about
    /// <paramref name="pageSize"/> at a time in member byte order.</summary>
    public static async IAsyncEnumerable<KeyValuePair<string, double>> SortedSetScanAsync(this DistCacheClient client, CacheKey key, int pageSize = 250,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CacheKey? after = null;
        do
        {
            var page = Expect<SortedSetPage>(await client.ExecuteAsync(new SortedSetScan(key, after, pageSize), cancellationToken).ConfigureAwait(false));
            foreach (var entry in page.Entries)
                yield return KeyValuePair.Create(entry.Member.ToString(), entry.Score);
            after = page.Next;
        } while (after is not null);
    }

    private static async Task<KeyValuePair<string, double>[]> RangeAsync(this DistCacheClient client, SortedSetRangeQuery query) =>
        Pairs(Expect<SortedSetEntries>(await client.ExecuteAsync(query).ConfigureAwait(false)));

    private static KeyValuePair<string, double>[] Pairs(SortedSetEntries entries) =>
        [.. entries.Entries.Select(e => KeyValuePair.Create(e!.Member.ToString(), e.Score))];

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
