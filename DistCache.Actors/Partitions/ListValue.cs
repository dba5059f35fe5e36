namespace DistCache.Actors.Partitions;

/// <summary>What a list key holds: its elements in a ring buffer, so a push or pop at either end and a read
/// by index are O(1), changed in place by <see cref="PartitionState.Apply"/> only. The bytes of its elements
/// are kept as it changes, so the memory limit costs nothing to check, and so is which encoding Redis would
/// use for it (it depends on the list's history, not only on its size).</summary>
public sealed class ListValue
{
    // An element's slot and its array's header: 8 B reference plus a 24 B array header, measured roughly.
    public const int ElementOverheadBytes = 32;

    // Redis 7.2 keeps a list as one listpack until it passes list-max-listpack-size -2 (8 KB) and turns it
    // back into one only below half of that (t_list.c listTypeTryConversion), so a list near the limit does
    // not flip back and forth.
    private const int ListpackBytes = 8192;
    private const int MinCapacity = 4;

    private byte[][] _items;
    private int _head;
    private long _listpackBytes = 7;

    public ListValue(int capacity = 0) => _items = new byte[Math.Max(capacity, MinCapacity)][];

    public int Count { get; private set; }

    /// <summary>The bytes of every element (what the per-collection byte limit counts).</summary>
    public long DataBytes { get; private set; }

    /// <summary>What the list is counted as for the memory limit.</summary>
    public long PayloadBytes => DataBytes + (long)Count * ElementOverheadBytes;

    /// <summary>Whether Redis would hold the list as a quicklist now rather than one listpack.</summary>
    public bool IsQuicklist { get; private set; }

    public byte[] this[int index]
    {
        get => _items[Slot(index)];
        set
        {
            ref var slot = ref _items[Slot(index)];
            Counted(slot, -1);
            Counted(value, 1);
            slot = value;
            Grew();
        }
    }

    public void PushLeft(byte[] element)
    {
        EnsureRoom(1);
        _head = (_head - 1 + _items.Length) % _items.Length;
        _items[_head] = element;
        Added(element);
    }

    public void PushRight(byte[] element)
    {
        EnsureRoom(1);
        _items[Slot(Count)] = element;
        Added(element);
    }

    /// <summary>Drops <paramref name="left"/> elements from the head and <paramref name="right"/> from the
    /// tail (both within the list).</summary>
    public void Trim(int left, int right)
    {
        for (var i = 0; i < left; i++)
        {
            Counted(_items[_head], -1);
            _items[_head] = null!;
            _head = (_head + 1) % _items.Length;
            Count--;
        }
        for (var i = 0; i < right; i++)
        {
            ref var slot = ref _items[Slot(Count - 1)];
            Counted(slot, -1);
            slot = null!;
            Count--;
        }
        Shrank();
    }

    /// <summary>Puts <paramref name="element"/> at <paramref name="index"/> (0..Count), shifting the shorter side.</summary>
    public void Insert(int index, byte[] element)
    {
        if (index == 0)
        {
            PushLeft(element);
            return;
        }
        EnsureRoom(1);
        if (index < Count / 2)
        {
            _head = (_head - 1 + _items.Length) % _items.Length;
            for (var i = 0; i < index; i++)
                _items[Slot(i)] = _items[Slot(i + 1)];
        }
        else
        {
            for (var i = Count; i > index; i--)
                _items[Slot(i)] = _items[Slot(i - 1)];
        }
        _items[Slot(index)] = element;
        Added(element);
    }

    /// <summary>Removes the elements at <paramref name="indexes"/> (ascending, distinct) in one pass.</summary>
    public void RemoveAt(long[] indexes)
    {
        if (indexes.Length == 0)
            return;
        var next = 0;
        var kept = (int)indexes[0];
        for (var i = kept; i < Count; i++)
        {
            if (next < indexes.Length && indexes[next] == i)
            {
                Counted(_items[Slot(i)], -1);
                next++;
                continue;
            }
            _items[Slot(kept++)] = _items[Slot(i)];
        }
        for (var i = kept; i < Count; i++)
            _items[Slot(i)] = null!;
        Count = kept;
        Shrank();
    }

    /// <summary>The elements from <paramref name="start"/> for <paramref name="count"/>, as a new array (the
    /// element arrays are shared: they are never changed in place).</summary>
    public byte[][] Slice(int start, int count)
    {
        var slice = new byte[count][];
        for (var i = 0; i < count; i++)
            slice[i] = _items[Slot(start + i)];
        return slice;
    }

    public byte[][] ToArray() => Slice(0, Count);

    public static ListValue From(IReadOnlyList<byte[]> elements)
    {
        var list = new ListValue(elements.Count);
        foreach (var element in elements)
            list.PushRight(element);
        // As Redis loading a list: the encoding its size alone gives.
        list.IsQuicklist = list._listpackBytes > ListpackBytes;
        return list;
    }

    private int Slot(int index) => (_head + index) % _items.Length;

    private void Added(byte[] element)
    {
        Count++;
        Counted(element, 1);
        Grew();
    }

    private void Grew()
    {
        if (!IsQuicklist && _listpackBytes > ListpackBytes)
            IsQuicklist = true;
    }

    // Also gives memory back: a queue that was long once does not keep its largest buffer.
    private void Shrank()
    {
        if (IsQuicklist && _listpackBytes * 2 < ListpackBytes)
            IsQuicklist = false;
        if (_items.Length > MinCapacity * 4 && Count < _items.Length / 4)
            Resize(Math.Max(MinCapacity, Count * 2));
    }

    private void EnsureRoom(int more)
    {
        if (Count + more > _items.Length)
            Resize(Math.Max(Count + more, _items.Length * 2));
    }

    private void Resize(int capacity)
    {
        var items = new byte[capacity][];
        for (var i = 0; i < Count; i++)
            items[i] = _items[Slot(i)];
        _items = items;
        _head = 0;
    }

    // A listpack's bytes, roughly as Redis counts them (listpack.c): a 7-byte header and end, and per
    // element its data, a 1-5 byte encoding and a 1-2 byte back length (integers are packed smaller, which
    // only makes this an upper bound). Kept as elements come and go, so no push walks the list.
    private void Counted(byte[] element, int sign)
    {
        var length = element.Length;
        var header = length < 64 ? 1 : length < 4096 ? 2 : 5;
        DataBytes += sign * length;
        _listpackBytes += sign * (length + header + (length + header < 128 ? 1 : 2));
    }
}
