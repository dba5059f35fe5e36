using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>A sorted set's members in order (score, then member bytes as memcmp): Redis's skip list with
/// spans (t_zset.c zsl*), so insert, remove, rank and the element at a rank are all O(log n). ZRANK and
/// ZRANGE by index on a million members walk about 20 nodes per level, never the list.</summary>
public sealed class SortedSetIndex
{
    // Redis's ZSKIPLIST_MAXLEVEL and ZSKIPLIST_P: a node has i+1 levels with probability P^i.
    private const int MaxLevel = 32;
    private const double P = 0.25;

    private readonly Node _head = new(default, 0, MaxLevel);
    private Node? _tail;
    private int _level = 1;

    /// <summary>One member. Its levels are an array of structs (a forward pointer and the span it jumps),
    /// one allocation beside the node; most nodes have one level.</summary>
    public sealed class Node(CacheKey member, double score, int levels)
    {
        public readonly CacheKey Member = member;
        public readonly double Score = score;
        public Node? Backward;
        public readonly Level[] Levels = new Level[levels];

        public Node? Next => Levels[0].Forward;
    }

    public struct Level
    {
        public Node? Forward;
        public int Span;
    }

    public int Count { get; private set; }

    public Node? First => _head.Levels[0].Forward;

    public Node? Last => _tail;

    /// <summary>Redis's order: by score, then by member bytes.</summary>
    public static int Compare(double score, CacheKey member, Node node)
    {
        var byScore = score.CompareTo(node.Score);
        return byScore != 0 ? byScore : member.AsSpan().SequenceCompareTo(node.Member.AsSpan());
    }

    public Node Insert(CacheKey member, double score)
    {
        Span<int> rank = stackalloc int[MaxLevel];
        var update = new Node[MaxLevel];
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (x.Levels[i].Forward is { } next && Compare(score, member, next) > 0)
            {
                rank[i] += x.Levels[i].Span;
                x = next;
            }
            update[i] = x;
        }
        var level = RandomLevel();
        if (level > _level)
        {
            for (var i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _head;
                update[i].Levels[i].Span = Count;
            }
            _level = level;
        }
        var node = new Node(member, score, level);
        for (var i = 0; i < level; i++)
        {
            node.Levels[i].Forward = update[i].Levels[i].Forward;
            update[i].Levels[i].Forward = node;
            node.Levels[i].Span = update[i].Levels[i].Span - (rank[0] - rank[i]);
            update[i].Levels[i].Span = rank[0] - rank[i] + 1;
        }
        for (var i = level; i < _level; i++)
            update[i].Levels[i].Span++;
        node.Backward = update[0] == _head ? null : update[0];
        if (node.Levels[0].Forward is { } after)
            after.Backward = node;
        else
            _tail = node;
        Count++;
        return node;
    }

    /// <summary>Removes the member with this score; false when it is not there.</summary>
    public bool Remove(CacheKey member, double score)
    {
        var update = new Node[MaxLevel];
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && Compare(score, member, next) > 0)
                x = next;
            update[i] = x;
        }
        if (x.Levels[0].Forward is not { } found || found.Score != score || found.Member != member)
            return false;
        Unlink(found, update);
        return true;
    }

    private void Unlink(Node node, Node[] update)
    {
        for (var i = 0; i < _level; i++)
        {
            if (update[i].Levels[i].Forward == node)
            {
                update[i].Levels[i].Span += node.Levels[i].Span - 1;
                update[i].Levels[i].Forward = node.Levels[i].Forward;
            }
            else
            {
                update[i].Levels[i].Span--;
            }
        }
        if (node.Levels[0].Forward is { } after)
            after.Backward = node.Backward;
        else
            _tail = node.Backward;
        while (_level > 1 && _head.Levels[_level - 1].Forward is null)
            _level--;
        Count--;
    }

    /// <summary>The 0-based rank of the member with this score, or -1 when it is not there.</summary>
    public long RankOf(CacheKey member, double score)
    {
        long rank = 0;
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && Compare(score, member, next) >= 0)
            {
                rank += x.Levels[i].Span;
                x = next;
            }
            if (x != _head && x.Member == member && x.Score == score)
                return rank - 1;
        }
        return -1;
    }

    /// <summary>The node at a 0-based rank, or null past the end.</summary>
    public Node? At(long index)
    {
        if (index < 0 || index >= Count)
            return null;
        var target = index + 1;
        long traversed = 0;
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && traversed + x.Levels[i].Span <= target)
            {
                traversed += x.Levels[i].Span;
                x = next;
            }
            if (traversed == target)
                return x;
        }
        return null;
    }

    /// <summary>The 0-based rank of a node known to be in the index.</summary>
    public long RankOf(Node node) => RankOf(node.Member, node.Score);

    /// <summary>The first node for which <paramref name="beyond"/> is false, walking forward: the ranges'
    /// lower bounds are monotone in the order, so the walk descends like an insert (zslNthInRange).</summary>
    public Node? FirstWhere(Func<Node, bool> beyond)
    {
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && beyond(next))
                x = next;
        }
        return x.Levels[0].Forward;
    }

    /// <summary>The last node for which <paramref name="within"/> holds, for a predicate true on a prefix of the order.</summary>
    public Node? LastWhere(Func<Node, bool> within)
    {
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && within(next))
                x = next;
        }
        return x == _head ? null : x;
    }

    private static int RandomLevel()
    {
        var level = 1;
        while (level < MaxLevel && Random.Shared.NextDouble() < P)
            level++;
        return level;
    }
}
