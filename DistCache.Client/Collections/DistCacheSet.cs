using System.Runtime.CompilerServices;
using DistCache.Protocol;

namespace DistCache.Client.Collections;

/// <summary>A typed handle on one set key: <c>cache.Set&lt;T&gt;(key)</c>. Members go through
/// <see cref="ElementCodec"/>, so two members are one when they encode to the same bytes (the same string, number
/// or JSON document). The handle holds no state: every call is one request, a write exactly-once on retry (a
/// retried SPOP answers the members first popped); a key holding another type throws
/// <see cref="WrongTypeException"/>, a member that cannot be read as <typeparamref name="T"/>
/// <see cref="ValueTypeMismatchException"/> (a popped one too, once removed).</summary>
public sealed class DistCacheSet<T>
{
    private readonly DistCacheClient _client;

    internal DistCacheSet(DistCacheClient client, CacheKey key)
    {
        _client = client;
        Key = key;
    }

    public CacheKey Key { get; }

    /// <summary>SADD of one member: true when it was added, false when it was there.</summary>
    public async Task<bool> AddAsync(T member) => await AddAsync([member]).ConfigureAwait(false) == 1;

    /// <summary>SADD: adds the members; returns how many were not there yet.</summary>
    public async Task<long> AddAsync(IEnumerable<T> members) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new SetAddMembers(Key, ElementCodec.EncodeMembers(members))).ConfigureAwait(false)).Value;

    /// <summary>SREM of one member: true when it was there.</summary>
    public async Task<bool> RemoveAsync(T member) => await RemoveAsync([member]).ConfigureAwait(false) == 1;

    /// <summary>SREM: removes the members; returns how many were there. Removing the last one deletes the key.</summary>
    public async Task<long> RemoveAsync(IEnumerable<T> members) =>
        Replies.Expect<CounterValue>(await _client.ExecuteAsync(new SetRemoveMembers(Key, ElementCodec.EncodeMembers(members))).ConfigureAwait(false)).Value;

    /// <summary>SISMEMBER.</summary>
    public async Task<bool> ContainsAsync(T member) => (await ContainsAsync([member]).ConfigureAwait(false))[0];

    /// <summary>SMISMEMBER: whether each member is in the set, in the order given.</summary>
    public async Task<bool[]> ContainsAsync(IEnumerable<T> members) =>
        Replies.Expect<MemberFlags>(await _client.ExecuteAsync(new SetContainsMembers(Key, ElementCodec.EncodeMembers(members))).ConfigureAwait(false)).Found;

    /// <summary>SCARD: the number of members, 0 for a missing key.</summary>
    public async Task<long> CountAsync() => Replies.Expect<CounterValue>(await _client.ExecuteAsync(new SetLength(Key)).ConfigureAwait(false)).Value;

    /// <summary>SMEMBERS: every member, in no particular order (empty for a missing key). One reply: for a large
    /// set, <see cref="ScanAsync"/>.</summary>
    public async Task<T[]> MembersAsync() => await RequestMembersAsync(new SetGetMembers(Key)).ConfigureAwait(false);

    /// <summary>SPOP: removes a random member, or not found when the set is empty or missing.</summary>
    public async Task<(bool Found, T? Value)> TryPopAsync() => First(await RequestMembersAsync(new SetPop(Key, null)).ConfigureAwait(false));

    /// <summary>SPOP: a random member, removed; default when the set is empty or missing (for a set of numbers,
    /// <see cref="TryPopAsync"/> tells a popped 0 from none).</summary>
    public async Task<T?> PopAsync() => (await TryPopAsync().ConfigureAwait(false)).Value;

    /// <summary>SPOP with a count: removes and returns up to <paramref name="count"/> random members.</summary>
    public Task<T[]> PopAsync(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return RequestMembersAsync(new SetPop(Key, count));
    }

    /// <summary>SRANDMEMBER: a random member, not removed; default when the set is empty or missing.</summary>
    public async Task<T?> RandomMemberAsync() => First(await RequestMembersAsync(new SetRandomMembers(Key, null)).ConfigureAwait(false)).Value;

    /// <summary>SRANDMEMBER with a count: up to <paramref name="count"/> distinct members, or with a negative count
    /// exactly |count| members that may repeat.</summary>
    public Task<T[]> RandomMembersAsync(long count) => RequestMembersAsync(new SetRandomMembers(Key, count));

    /// <summary>SMOVE: moves the member from this set to the one at <paramref name="destination"/> atomically;
    /// true when it was here. Both keys must share a slot (else <see cref="CacheErrorCode.CrossSlot"/>).</summary>
    public async Task<bool> MoveToAsync(CacheKey destination, T member) =>
        Replies.Expect<Written>(await _client.ExecuteAsync(new SetMove(Key, destination, ElementCodec.EncodeMember(member))).ConfigureAwait(false)).Applied;

    /// <summary>SSCAN, page by page as the caller reads: every member present for the whole scan comes once,
    /// whatever else changes meanwhile; one added or removed during it may or may not come (as in Redis).
    /// Cancelling stops before the next page.</summary>
    public async IAsyncEnumerable<T> ScanAsync(int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        CacheKey? after = null;
        do
        {
            var page = Replies.Expect<SetPage>(await _client.ExecuteAsync(new SetScan(Key, after, pageSize), cancellationToken).ConfigureAwait(false));
            foreach (var member in page.Members)
                yield return ElementCodec.DecodeMember<T>(member);
            after = page.Next;
        }
        while (after is not null);
    }

    private async Task<T[]> RequestMembersAsync(IClientCommand command) =>
        Replies.Expect<SetMembers>(await _client.ExecuteAsync(command).ConfigureAwait(false)).Members.Select(ElementCodec.DecodeMember<T>).ToArray();

    private static (bool Found, T? Value) First(T[] members) => members is [var one, ..] ? (true, one) : (false, default);
}
