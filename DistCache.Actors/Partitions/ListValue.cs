namespace DistCache.Actors.Partitions;

/// <summary>What a list key holds: its elements packed into chunks of up to 4 KB, as Redis's quicklist packs
/// them into listpacks, so a short element costs its bytes and two length bytes rather than an array object
/// and a reference (about 12 B for a 10-byte element, against 48 B as an array per element). A push or pop
/// at either end is O(1); an index walks the chunks from the nearer end and then one chunk. Changed in place
/// by <see cref="PartitionState.Apply"/> only. The bytes of its elements are kept as it changes, so the
/// memory limit costs nothing to check, and so is which encoding Redis would use for it (it depends on the
/// list's history, not only on its size).</summary>
public sealed class ListValue
{
    /// <summary>What an element costs beyond its bytes, for the memory limit: its two length bytes and the
    /// chunks' unused room, measured roughly (1M 10-byte elements take about 12 B each).</summary>
    public const int ElementOverheadBytes = 4;

    // Redis 7.2 keeps a list as one listpack until it passes list-max-listpack-size -2 (8 KB) and turns it
    // back into one only below half of that (t_list.c listTypeTryConversion), so a list near the limit does
    // not flip back and forth.
    private const int ListpackBytes = 8192;

    private readonly List<ListChunk> _chunks = [];
    private long _listpackBytes = 7;

    public int Count { get; private set; }

    /// <summary>The bytes of every element (what the per-collection byte limit counts).</summary>
    public long DataBytes { get; private set; }

    /// <summary>What the list is counted as for the memory limit.</summary>
    public long PayloadBytes => DataBytes + (long)Count * ElementOverheadBytes;

    /// <summary>Whether Redis would hold the list as a quicklist now rather than one listpack.</summary>
    public bool IsQuicklist { get; private set; }

    /// <summary>The element at <paramref name="index"/> (a copy: chunks are changed in place).</summary>
    public byte[] this[int index]
    {
        get
        {
            var (chunk, at) = Find(index);
            return _chunks[chunk].Get(at);
        }
        set
        {
            var (chunk, at) = Find(index);
            var elements = _chunks[chunk].ToList();
            Counted(elements[at], -1);
            Counted(value, 1);
            elements[at] = value;
            Rebuild(chunk, elements);
            Grew();
        }
    }

    public void PushLeft(byte[] element)
    {
        if (_chunks.Count == 0 || !_chunks[0].TryPushLeft(element))
        {
            var chunk = new ListChunk();
            chunk.TryPushLeft(element);
            _chunks.Insert(0, chunk);
        }
        Added(element);
    }

    public void PushRight(byte[] element)
    {
        if (_chunks.Count == 0 || !_chunks[^1].TryPushRight(element))
        {
            var chunk = new ListChunk();
            chunk.TryPushRight(element);
            _chunks.Add(chunk);
        }
        Added(element);
    }

    /// <summary>Drops <paramref name="left"/> elements from the head and <paramref name="right"/> from the
    /// tail (both within the list).</summary>
    public void Trim(int left, int right)
    {
        for (var i = 0; i < left; i++)
        {
            var chunk = _chunks[0];
            Removed(chunk.PopLeft());
            if (chunk.Count == 0)
                _chunks.RemoveAt(0);
        }
        for (var i = 0; i < right; i++)
        {
            var chunk = _chunks[^1];
            Removed(chunk.PopRight());
            if (chunk.Count == 0)
                _chunks.RemoveAt(_chunks.Count - 1);
        }
        Shrank();
    }

    /// <summary>Puts <paramref name="element"/> at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, byte[] element)
    {
        if (index == 0)
        {
            PushLeft(element);
            return;
        }
        if (index == Count)
        {
            PushRight(element);
            return;
        }
        var (chunk, at) = Find(index);
        var elements = _chunks[chunk].ToList();
        elements.Insert(at, element);
        Rebuild(chunk, elements);
        Added(element);
    }

    /// <summary>Removes the elements at <paramref name="indexes"/> (ascending, distinct): O(n), as LREM is.</summary>
    public void RemoveAt(long[] indexes)
    {
        if (indexes.Length == 0)
            return;
        var kept = new List<byte[]>(Count - indexes.Length);
        var next = 0;
        var i = 0;
        foreach (var element in Forward())
        {
            if (next < indexes.Length && indexes[next] == i)
            {
                Counted(element.Span.Length, -1);
                next++;
            }
            else
            {
                kept.Add(element.ToArray());
            }
            i++;
        }
        _chunks.Clear();
        Count = 0;
        foreach (var element in kept)
        {
            if (_chunks.Count == 0 || !_chunks[^1].TryPushRight(element))
            {
                _chunks.Add(new ListChunk());
                _chunks[^1].TryPushRight(element);
            }
            Count++;
        }
        Shrank();
    }

    /// <summary>The elements from <paramref name="start"/> for <paramref name="count"/>, as new arrays.</summary>
    public byte[][] Slice(int start, int count)
    {
        var slice = new byte[count][];
        var i = 0;
        foreach (var element in Forward(start))
        {
            if (i == count)
                break;
            slice[i++] = element.ToArray();
        }
        return slice;
    }

    /// <summary>The last <paramref name="count"/> elements from the tail backwards, as new arrays.</summary>
    public byte[][] SliceFromTail(int count)
    {
        var slice = new byte[count][];
        var i = 0;
        foreach (var element in Backward())
        {
            if (i == count)
                break;
            slice[i++] = element.ToArray();
        }
        return slice;
    }

    public byte[][] ToArray() => Slice(0, Count);

    /// <summary>The elements from <paramref name="start"/> to the tail, as views into the chunks: valid until
    /// the list changes (the partition's single thread reads them at once).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Forward(int start = 0)
    {
        if (start >= Count)
            yield break;
        var (chunk, at) = Find(start);
        for (var c = chunk; c < _chunks.Count; c++)
        {
            foreach (var element in _chunks[c].Forward(c == chunk ? at : 0))
                yield return element;
        }
    }

    /// <summary>The elements from the tail to the head, as views into the chunks (see <see cref="Forward"/>).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Backward()
    {
        for (var c = _chunks.Count - 1; c >= 0; c--)
        {
            foreach (var element in _chunks[c].Backward())
                yield return element;
        }
    }

    public static ListValue From(IReadOnlyList<byte[]> elements)
    {
        var list = new ListValue();
        foreach (var element in elements)
            list.PushRight(element);
        // As Redis loading a list: the encoding its size alone gives.
        list.IsQuicklist = list._listpackBytes > ListpackBytes;
        return list;
    }

    // The chunk holding the element at index, and its position there, walking from the nearer end.
    private (int Chunk, int At) Find(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index));
        if (index < Count / 2)
        {
            for (var c = 0; ; c++)
            {
                if (index < _chunks[c].Count)
                    return (c, index);
                index -= _chunks[c].Count;
            }
        }
        var fromTail = Count - 1 - index;
        for (var c = _chunks.Count - 1; ; c--)
        {
            if (fromTail < _chunks[c].Count)
                return (c, _chunks[c].Count - 1 - fromTail);
            fromTail -= _chunks[c].Count;
        }
    }

    // A chunk's elements after a change in the middle: packed again, in as many chunks as they need.
    private void Rebuild(int chunk, List<byte[]> elements)
    {
        var rebuilt = new List<ListChunk> { new() };
        foreach (var element in elements)
        {
            if (!rebuilt[^1].TryPushRight(element))
            {
                rebuilt.Add(new ListChunk());
                rebuilt[^1].TryPushRight(element);
            }
        }
        _chunks.RemoveAt(chunk);
        _chunks.InsertRange(chunk, rebuilt);
    }

    private void Added(byte[] element)
    {
        Count++;
        Counted(element, 1);
        Grew();
    }

    private void Removed(int length)
    {
        Count--;
        Counted(length, -1);
    }

    private void Grew()
    {
        if (!IsQuicklist && _listpackBytes > ListpackBytes)
            IsQuicklist = true;
    }

    private void Shrank()
    {
        if (IsQuicklist && _listpackBytes * 2 < ListpackBytes)
            IsQuicklist = false;
    }

    private void Counted(byte[] element, int sign) => Counted(element.Length, sign);

    // A listpack's bytes, roughly as Redis counts them (listpack.c): a 7-byte header and end, and per
    // element its data, a 1-5 byte encoding and a 1-2 byte back length (integers are packed smaller, which
    // only makes this an upper bound). Kept as elements come and go, so no push walks the list.
    private void Counted(int length, int sign)
    {
        var header = length < 64 ? 1 : length < 4096 ? 2 : 5;
        DataBytes += sign * length;
        _listpackBytes += sign * (length + header + (length + header < 128 ? 1 : 2));
    }
}
