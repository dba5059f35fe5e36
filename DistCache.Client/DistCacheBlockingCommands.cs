using System.Diagnostics;
using System.Text;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>The blocking pops on <see cref="DistCacheClient"/> (BLPOP, BRPOP, BLMOVE, BZPOPMIN, BZPOPMAX): each waits
/// in the partition of its keys (all in one partition) until a push gives it something, its timeout passes
/// (then null is returned; a null timeout waits for ever) or the cancellation token fires (then it stops
/// waiting there and takes nothing, and <see cref="OperationCanceledException"/> is thrown). What it takes is
/// journaled with its request, so a retry after a failover gets the same element and takes nothing more.</summary>
public static class DistCacheBlockingCommands
{
    /// <summary>BLPOP: the first element of the first non-empty list of <paramref name="keys"/>, with its key.</summary>
    public static async Task<(CacheKey Key, string Value)?> ListBlockingLeftPopAsync(this DistCacheClient client, CacheKey[] keys, TimeSpan? timeout,
        CancellationToken cancellationToken = default) =>
        await WaitAsync(client, new ListMultiPop(keys, Left: true), keys, timeout, cancellationToken).ConfigureAwait(false) is KeyedListItems { Key: { } key, Items: [var first, ..] }
            ? (key, Encoding.UTF8.GetString(first))
            : null;

    /// <summary>BRPOP: the last element of the first non-empty list of <paramref name="keys"/>, with its key.</summary>
    public static async Task<(CacheKey Key, string Value)?> ListBlockingRightPopAsync(this DistCacheClient client, CacheKey[] keys, TimeSpan? timeout,
        CancellationToken cancellationToken = default) =>
        await WaitAsync(client, new ListMultiPop(keys, Left: false), keys, timeout, cancellationToken).ConfigureAwait(false) is KeyedListItems { Key: { } key, Items: [var first, ..] }
            ? (key, Encoding.UTF8.GetString(first))
            : null;

    /// <summary>BLMOVE: pops from <paramref name="source"/>'s end and pushes onto <paramref name="destination"/>'s, once the source has an element.</summary>
    public static async Task<string?> ListBlockingMoveAsync(this DistCacheClient client, CacheKey source, CacheKey destination, ListSide from, ListSide to,
        TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        await WaitAsync(client, new ListMove(source, destination, from == ListSide.Left, to == ListSide.Left), [source], timeout, cancellationToken).ConfigureAwait(false)
            is Found { Value: { } value } ? Encoding.UTF8.GetString(value.Data) : null;

    /// <summary>BZPOPMIN (or BZPOPMAX with <paramref name="highest"/>): the lowest-scored member of the first non-empty sorted set.</summary>
    public static async Task<(CacheKey Key, string Member, double Score)?> SortedSetBlockingPopAsync(this DistCacheClient client, CacheKey[] keys, TimeSpan? timeout,
        bool highest = false, CancellationToken cancellationToken = default) =>
        await WaitAsync(client, new SortedSetMultiPop(keys, 1, highest), keys, timeout, cancellationToken).ConfigureAwait(false) is SortedSetPopped { Key: { } key, Entries: [var first, ..] }
            ? (key, first.Member.ToString(), first.Score)
            : null;

    // Calls of at most BlockingCall.MaxWaitMs each until the timeout passes: the reply, or null when it passed.
    // Internal: the typed collection handles' blocking pops send the same calls.
    internal static async Task<ICacheReply?> WaitAsync(DistCacheClient client, IClientCommand attempt, CacheKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (timeout is { } t && t < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), "A timeout cannot be negative.");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout is { } limit ? (long)Math.Ceiling((limit - clock.Elapsed).TotalMilliseconds) : BlockingCall.MaxWaitMs;
            if (left <= 0)
                return null;
            var reply = await client.ExecuteAsync(new BlockingCall(attempt, keys, Math.Min(left, BlockingCall.MaxWaitMs)), cancellationToken).ConfigureAwait(false);
            switch (reply)
            {
                case Rejected rejected:
                    throw DistCacheException.From(rejected);
                case WaitEnded:
                    cancellationToken.ThrowIfCancellationRequested();
                    continue;
                default:
                    return reply;
            }
        }
    }
}
