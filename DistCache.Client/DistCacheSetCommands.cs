using System.Runtime.CompilerServices;
using DistCache.Client.Collections;
using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Redis's set commands on <see cref="DistCacheClient"/>, named as StackExchange.Redis names them.
/// Members go through <see cref="ValueCodec"/> as Redis sees them (strings as UTF-8, numbers and booleans as
/// their text, byte arrays as they are, other objects as JSON), so a member added here is the member
/// redis-cli sees, and back. Every write is exactly-once on retry, SPOP included (a retry answers the members
/// first popped); a key holding another type throws a <see cref="DistCacheException"/> with
/// <see cref="CacheErrorCode.WrongType"/>.</summary>
public static class DistCacheSetCommands
{
    /// <summary>A typed handle on the set at <paramref name="key"/>: its members of <typeparamref name="T"/> through
    /// <see cref="ElementCodec"/>, its members as an <see cref="IAsyncEnumerable{T}"/> (SSCAN). These methods write
    /// a member as <see cref="ValueCodec"/> text: the same bytes but for booleans ("true" here, "1" there) and infinities.</summary>
    public static DistCacheSet<T> Set<T>(this DistCacheClient client, CacheKey key) => new(client, key);

    /// <summary>SADD of one member: true when it was added, false when it was there.</summary>
    public static async Task<bool> SetAddAsync<T>(this DistCacheClient client, CacheKey key, T member) =>
        await client.SetAddAsync(key, [member]).ConfigureAwait(false) == 1;

    /// <summary>SADD: adds the members; returns how many were not there yet.</summary>
    public static async Task<long> SetAddAsync<T>(this DistCacheClient client, CacheKey key, IEnumerable<T> members) =>
        Expect<CounterValue>(await client.ExecuteAsync(new SetAddMembers(key, Members(members))).ConfigureAwait(false)).Value;

    /// <summary>SREM of one member: true when it was there.</summary>
    public static async Task<bool> SetRemoveAsync<T>(this DistCacheClient client, CacheKey key, T member) =>
        await client.SetRemoveAsync(key, [member]).ConfigureAwait(false) == 1;

    /// <summary>SREM: removes the members; returns how many were there. The last member's removal deletes the key.</summary>
    public static async Task<long> SetRemoveAsync<T>(this DistCacheClient client, CacheKey key, IEnumerable<T> members) =>
        Expect<CounterValue>(await client.ExecuteAsync(new SetRemoveMembers(key, Members(members))).ConfigureAwait(false)).Value;

    /// <summary>SMEMBERS: every member, in no particular order (empty for a missing key).</summary>
    public static async Task<T[]> SetMembersAsync<T>(this DistCacheClient client, CacheKey key) =>
        Decode<T>(Expect<SetMembers>(await client.ExecuteAsync(new SetGetMembers(key)).ConfigureAwait(false)).Members);

    /// <summary>SISMEMBER: whether the member is in the set.</summary>
    public static async Task<bool> SetContainsAsync<T>(this DistCacheClient client, CacheKey key, T member) =>
        (await client.SetContainsAsync(key, [member]).ConfigureAwait(false))[0];

    /// <summary>SMISMEMBER: whether each member is in the set, in the order given.</summary>
    public static async Task<bool[]> SetContainsAsync<T>(this DistCacheClient client, CacheKey key, IEnumerable<T> members) =>
        Expect<MemberFlags>(await client.ExecuteAsync(new SetContainsMembers(key, Members(members))).ConfigureAwait(false)).Found;

    /// <summary>SCARD: the number of members, 0 for a missing key.</summary>
    public static async Task<long> SetLengthAsync(this DistCacheClient client, CacheKey key) =>
        Expect<CounterValue>(await client.ExecuteAsync(new SetLength(key)).ConfigureAwait(false)).Value;

    /// <summary>SPOP: removes and returns a random member; default when the set is empty or missing.</summary>
    public static async Task<T?> SetPopAsync<T>(this DistCacheClient client, CacheKey key) =>
        Decode<T>(Expect<SetMembers>(await client.ExecuteAsync(new SetPop(key, null)).ConfigureAwait(false)).Members) is [var one, ..] ? one : default;

    /// <summary>SPOP with a count: removes and returns up to <paramref name="count"/> random members.</summary>
    public static async Task<T[]> SetPopAsync<T>(this DistCacheClient client, CacheKey key, long count) =>
        Decode<T>(Expect<SetMembers>(await client.ExecuteAsync(new SetPop(key, NotNegative(count))).ConfigureAwait(false)).Members);

    /// <summary>SRANDMEMBER: a random member, not removed; default when the set is empty or missing.</summary>
    public static async Task<T?> SetRandomMemberAsync<T>(this DistCacheClient client, CacheKey key) =>
        Decode<T>(Expect<SetMembers>(await client.ExecuteAsync(new SetRandomMembers(key, null)).ConfigureAwait(false)).Members) is [var one, ..] ? one : default;

    /// <summary>SRANDMEMBER with a count: up to <paramref name="count"/> distinct members, or with a negative
    /// count exactly |count| members that may repeat.</summary>
    public static async Task<T[]> SetRandomMembersAsync<T>(this DistCacheClient client, CacheKey key, long count) =>
        Decode<T>(Expect<SetMembers>(await client.ExecuteAsync(new SetRandomMembers(key, count)).ConfigureAwait(false)).Members);

    /// <summary>SMOVE: moves the member from <paramref name="source"/> to <paramref name="destination"/>
    /// atomically; true when it was in the source. Both keys must share a slot (else CrossSlot).</summary>
    public static async Task<bool> SetMoveAsync<T>(this DistCacheClient client, CacheKey source, CacheKey destination, T member) =>
        Expect<Written>(await client.ExecuteAsync(new SetMove(source, destination, Member(member))).ConfigureAwait(false)).Applied;

    /// <summary>SINTER, SUNION, SDIFF: each key's members are read from its own partition and combined here,
    /// so over keys in several partitions the result is not one snapshot.</summary>
    public static async Task<T[]> SetCombineAsync<T>(this DistCacheClient client, SetOperation operation, params CacheKey[] keys)
    {
        var sets = await Gather(client, keys).ConfigureAwait(false);
        IEnumerable<CacheKey> result = operation switch
        {
            SetOperation.Intersect => sets.Skip(1).Aggregate((IEnumerable<CacheKey>)sets[0], (acc, s) => acc.Where(s.Contains)),
            SetOperation.Union => sets.SelectMany(s => s).Distinct(),
            SetOperation.Difference => sets[0].Where(m => !sets.Skip(1).Any(s => s.Contains(m))),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        return Decode<T>(result.ToArray());
    }

    /// <summary>SINTERCARD: the size of the keys' intersection, counting at most <paramref name="limit"/>
    /// (0: no limit). Gathered as <see cref="SetCombineAsync"/>.</summary>
    public static async Task<long> SetIntersectionLengthAsync(this DistCacheClient client, CacheKey[] keys, long limit = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var sets = await Gather(client, keys).ConfigureAwait(false);
        var count = sets.Skip(1).Aggregate((IEnumerable<CacheKey>)sets[0], (acc, s) => acc.Where(s.Contains)).LongCount();
        return limit > 0 ? Math.Min(count, limit) : count;
    }

    /// <summary>SINTERSTORE, SUNIONSTORE, SDIFFSTORE: <paramref name="destination"/> holds the result (an empty
    /// one deletes it); returns its size. One atomic write: every key must share a slot (else CrossSlot).</summary>
    public static async Task<long> SetCombineAndStoreAsync(this DistCacheClient client, SetOperation operation, CacheKey destination, params CacheKey[] keys) =>
        Expect<CounterValue>(await client.ExecuteAsync(new SetStore(destination, keys, operation)).ConfigureAwait(false)).Value;

    /// <summary>SSCAN: every member present for the whole scan, once, a page of about
    /// <paramref name="pageSize"/> at a time.</summary>
    public static async IAsyncEnumerable<T> SetScanAsync<T>(this DistCacheClient client, CacheKey key, int pageSize = 250,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CacheKey? after = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = Expect<SetPage>(await client.ExecuteAsync(new SetScan(key, after, pageSize)).ConfigureAwait(false));
            foreach (var member in page.Members)
                yield return Decode<T>(member);
            after = page.Next;
        } while (after is not null);
    }

    private static async Task<HashSet<CacheKey>[]> Gather(DistCacheClient client, CacheKey[] keys)
    {
        if (keys is null or [])
            throw new ArgumentException("At least one key is needed.", nameof(keys));
        var replies = await Task.WhenAll(keys.Select(k => client.ExecuteAsync(new SetGetMembers(k)))).ConfigureAwait(false);
        return replies.Select(r => Expect<SetMembers>(r).Members.ToHashSet()).ToArray();
    }

    private static long NotNegative(long count) => count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), "The count must not be negative.");

    // A member's bytes as Redis sees the value (ValueCodec.ToBytes of its encoding).
    private static CacheKey Member<T>(T member) => new(ValueCodec.ToBytes(ValueCodec.Encode(member)));

    private static CacheKey[] Members<T>(IEnumerable<T> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return members.Select(Member).ToArray();
    }

    private static T[] Decode<T>(CacheKey[] members) => members.Select(Decode<T>).ToArray();

    // Back from the bytes Redis holds: text for strings and numbers, the bytes, or JSON for other objects.
    private static T Decode<T>(CacheKey member)
    {
        var type = typeof(T);
        if (type == typeof(bool))
            return (T)(object)member.AsSpan().SequenceEqual("true"u8);
        var kind = type == typeof(byte[]) ? ValueKind.Bytes
            : type == typeof(string) || type == typeof(long) || type == typeof(int) || type == typeof(double) ? ValueKind.String
            : ValueKind.Object;
        return ValueCodec.Decode<T>(new CacheValue(kind, member.ToArray()));
    }

    private static TReply Expect<TReply>(ICacheReply reply) where TReply : ICacheReply => reply switch
    {
        TReply expected => expected,
        Rejected rejected => throw DistCacheException.From(rejected),
        _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name}"),
    };
}
