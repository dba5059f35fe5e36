using System.Runtime.CompilerServices;
using DistCache.Protocol;

namespace DistCache.Client.Collections;

/// <summary>A typed handle on one sorted-set key: <c>cache.SortedSet&lt;T&gt;(key)</c>. Members go through
/// <see cref="ElementCodec"/> (two are one when they encode to the same bytes, and members of equal score are
/// ordered by those bytes, as in Redis); scores are doubles, ±inf allowed. The handle holds no state: every call
/// is one request, a write exactly-once on retry (a retried pop answers what it popped and pops nothing more); a
/// key holding another type throws <see cref="WrongTypeException"/>, a member that cannot be read as
/// <typeparamref name="T"/> <see cref="ValueTypeMismatchException"/> (a popped one too, once removed).</summary>
public sealed class DistCacheSortedSet<T>
{
    private readonly DistCacheClient _client;

    internal DistCacheSortedSet(DistCacheClient client, CacheKey key)
    {
        _client = client;
        Key = key;
    }

    public CacheKey Key { get; }

    /// <summary>ZADD of one member: true when it was added, false when it was there (its score set unless
    /// <paramref name="when"/> stopped it).</summary>
    public async Task<bool> AddAsync(T member, double score, SortedSetWhen when = SortedSetWhen.Always) =>
        await AddAsync([(member, score)], when).ConfigureAwait(false) == 1;

    /// <summary>ZADD: sets the members' scores (<see cref="SortedSetWhen.IfAbsent"/>: only new members, NX;
    /// <see cref="SortedSetWhen.IfPresent"/>: only existing ones, XX); returns how many were added.</summary>
    public async Task<long> AddAsync(IEnumerable<(T Member, double Score)> members, SortedSetWhen when = SortedSetWhen.Always)
    {
        ArgumentNullException.ThrowIfNull(members);
        var entries = members.Select(m => new SortedSetEntry(ElementCodec.EncodeMember(m.Member), m.Score)).ToArray();
        return Replies.Expect<CounterValue>(await _client.ExecuteAsync(new SortedSetAdd(Key, entries, when)).ConfigureAwait(false)).Value;
    }

    /// <summary>ZINCRBY: adds <paramref name="by"/> to the member's score (a missing member starts at 0); returns the new score.</summary>
    public async Task<double> IncrementAsync(T member, double by = 1) =>
        Replies.Expect<SortedSetScore>(await _client.ExecuteAsync(
            new SortedSetAdd(Key, [new SortedSetEntry(ElementCodec.EncodeMember(member), by)], Increment: true)).ConfigureAwait(false)).Score;

    /// <summary>ZSCORE: the member's score, null when the member or the key is missing.</summary>
    public async Task<double?> ScoreAsync(T member) =>
        Replies.Expect<SortedSetEntries>(await _client.ExecuteAsync(new SortedSetScores(Key, [ElementCodec.EncodeMember(member)])).ConfigureAwait(false)).Entries[0]?.Score;

    /// <summary>ZRANK (ZREVRANK when <paramref name="descending"/>): the member's 0-based rank, null when it is missing.</summary>
    public async Task<long?> RankAsync(T member, bool descending = false)
    {
        var rank = Replies.Expect<SortedSetRank>(await _client.ExecuteAsync(new SortedSetRankOf(Key, ElementCodec.EncodeMember(member), descending)).ConfigureAwait(false));
        return rank.Rank < 0 ? null : rank.Rank;
    }

    /// <summary>ZCARD: the member count, 0 for a missing key.</summary>
    public async Task<long> CountAsync() => Replies.Expect<CounterValue>(await _client.ExecuteAsync(new SortedSetLength(Key)).ConfigureAwait(false)).Value;

    /// <summary>ZRANGE by rank (0-based, both ends included, negative from the end; from the highest score when
    /// <paramref name="descending"/>), with scores.</summary>
    public Task<(T Member, double Score)[]> RangeByRankWithScoresAsync(long start = 0, long stop = -1, bool descending = false) =>
        RangeAsync(new SortedSetRangeQuery(Key, new RankRange(start, stop), descending));

    /// <summary>ZRANGE by rank: the members only.</summary>
    public async Task<T[]> RangeByRankAsync(long start = 0, long stop = -1, bool descending = false) =>
        Members(await RangeByRankWithScoresAsync(start, stop, descending).ConfigureAwait(false));

    /// <summary>ZRANGE BYSCORE: the members scored from <paramref name="min"/> to <paramref name="max"/> (inclusive
    /// unless told; the highest first when <paramref name="descending"/>), skipping <paramref name="skip"/> and
    /// taking <paramref name="take"/> (-1: all), with scores.</summary>
    public Task<(T Member, double Score)[]> RangeByScoreWithScoresAsync(double min = double.NegativeInfinity, double max = double.PositiveInfinity,
        bool excludeMin = false, bool excludeMax = false, bool descending = false, long skip = 0, long take = -1) =>
        RangeAsync(new SortedSetRangeQuery(Key, new ScoreRange(min, excludeMin, max, excludeMax), descending, skip, take));

    /// <summary>ZRANGE BYSCORE: the members only.</summary>
    public async Task<T[]> RangeByScoreAsync(double min = double.NegativeInfinity, double max = double.PositiveInfinity,
        bool excludeMin = false, bool excludeMax = false, bool descending = false, long skip = 0, long take = -1) =>
        Members(await RangeByScoreWithScoresAsync(min, max, excludeMin, excludeMax, descending, skip, take).ConfigureAwait(false));

    /// <summary>ZREM of one member: true when it was there.</summary>
    public async Task<bool> RemoveAsync(T member) => await RemoveAsync([member]).ConfigureAwait(false) == 1;

    /// <summary>ZREM: removes the members; returns how many were there. Removing the last one deletes the key.</summary>
    public async Task<long> RemoveAsync(IEnumerable<T> members) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new SortedSetRemove(Key, ElementCodec.EncodeMembers(members))).ConfigureAwait(false)).Value;

    /// <summary>ZPOPMIN (ZPOPMAX with <paramref name="max"/>): removes and returns up to <paramref name="count"/>
    /// members from that end, with their scores; empty when the set is missing.</summary>
    public async Task<(T Member, double Score)[]> PopAsync(long count = 1, bool max = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Entries(Replies.Expect<SortedSetEntries>(await _client.ExecuteAsync(new SortedSetPop(Key, count, max)).ConfigureAwait(false)).Entries);
    }

    /// <summary>BZPOPMIN (BZPOPMAX with <paramref name="max"/>) on this set: the member at that end once there is
    /// one, waiting in the partition; null when <paramref name="timeout"/> passes (null: wait for ever). Cancelled,
    /// it stops waiting there, takes nothing and throws <see cref="OperationCanceledException"/>.</summary>
    public async Task<(T Member, double Score)?> BlockingPopAsync(TimeSpan? timeout, bool max = false, CancellationToken cancellationToken = default) =>
        // The same BlockingCall as BZPOPMIN on one key (DistCacheBlockingCommands), so it waits the same way.
        await DistCacheBlockingCommands.WaitAsync(_client, new SortedSetMultiPop([Key], 1, max), [Key], timeout, cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            SortedSetPopped { Entries: [var first, ..] } => Entry(first),
            var reply => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
        };

    /// <summary>ZSCAN, page by page as the caller reads, in member byte order (not by score): every member present
    /// for the whole scan comes once, with its score when its page was read; one added or removed during it may or
    /// may not come (as in Redis). Cancelling stops before the next page.</summary>
    public async IAsyncEnumerable<(T Member, double Score)> ScanAsync(int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        CacheKey? after = null;
        do
        {
            var page = Replies.Expect<SortedSetPage>(await _client.ExecuteAsync(new SortedSetScan(Key, after, pageSize), cancellationToken).ConfigureAwait(false));
            foreach (var entry in page.Entries)
                yield return Entry(entry);
            after = page.Next;
        }
        while (after is not null);
    }

    private async Task<(T Member, double Score)[]> RangeAsync(SortedSetRangeQuery query) =>
        Entries(Replies.Expect<SortedSetEntries>(await _client.ExecuteAsync(query).ConfigureAwait(false)).Entries);

    private static (T Member, double Score) Entry(SortedSetEntry entry) => (ElementCodec.DecodeMember<T>(entry.Member), entry.Score);

    // Ranges and pops answer no null entries (only ZMSCORE's missing members are null).
    private static (T Member, double Score)[] Entries(SortedSetEntry?[] entries) => entries.Select(e => Entry(e!)).ToArray();

    private static T[] Members((T Member, double Score)[] entries) => entries.Select(e => e.Member).ToArray();
}
