using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a set key holds: its members, changed in place by <see cref="PartitionState.Apply"/> only
/// (a million-member set is never copied for one write), with the bytes of its members kept as it changes
/// so the memory limit costs nothing to check, and the encoding Redis would have reached by the same writes.</summary>
public sealed class MemberSet
{
    // A member's slot in the HashSet (hash code, next index, reference: 16 B), its bucket (4 B) and its
    // array's header (24 B): measured roughly, not exactly.
    public const int MemberOverheadBytes = 44;

    private readonly HashSet<CacheKey> _members;

    public MemberSet(int capacity = 0) => _members = new HashSet<CacheKey>(capacity);

    public int Count => _members.Count;

    /// <summary>The bytes of every member (what the per-collection byte limit counts).</summary>
    public long DataBytes { get; private set; }

    /// <summary>What the set is counted as for the memory limit.</summary>
    public long PayloadBytes => DataBytes + (long)Count * MemberOverheadBytes;

    /// <summary>Redis 7.2's encoding for the set: it only ever grows (intset, listpack, hashtable), as
    /// Redis never converts a set back to a smaller encoding when members go.</summary>
    public SetEncoding Encoding { get; private set; } = SetEncoding.IntSet;

    public IReadOnlySet<CacheKey> Members => _members;

    public bool Contains(CacheKey member) => _members.Contains(member);

    /// <summary>Adds the member (the key's array is kept, never copied: keys are never changed in place).</summary>
    public bool Add(CacheKey member)
    {
        if (!_members.Add(member))
            return false;
        Encoding = SetEncodings.After(Encoding, _members.Count, member);
        DataBytes += member.Length;
        return true;
    }

    public bool Remove(CacheKey member)
    {
        if (!_members.Remove(member))
            return false;
        DataBytes -= member.Length;
        return true;
    }

    /// <summary>The members as journal events and snapshots carry them: a copy, so it stays as it is while
    /// the set goes on changing (a snapshot is serialized after the actor moved on).</summary>
    public CacheKey[] ToArray()
    {
        var members = new CacheKey[_members.Count];
        _members.CopyTo(members);
        return members;
    }

    public static MemberSet From(IReadOnlyCollection<CacheKey> members)
    {
        var set = new MemberSet(members.Count);
        foreach (var member in members)
            set.Add(member);
        return set;
    }
}
