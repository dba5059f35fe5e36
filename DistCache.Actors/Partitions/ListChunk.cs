namespace DistCache.Actors.Partitions;

/// <summary>Some consecutive elements of a <see cref="ListValue"/> packed into one array, as a listpack packs
/// them: each element is its length (7-bit varint), its bytes, and its length again written backwards, so the
/// chunk can be read and popped from either end. The packed bytes sit in the middle of the array with room
/// on both sides, so a push at either end is O(1) amortized.</summary>
internal sealed class ListChunk
{
    /// <summary>The most bytes a chunk packs, unless one element alone is larger.</summary>
    public const int MaxBytes = 4096;

    private const int MinCapacity = 64;

    private byte[] _buffer = [];
    private int _start;
    private int _end;

    public int Count { get; private set; }

    private int Used => _end - _start;

    public bool TryPushRight(byte[] element)
    {
        var need = Need(element.Length);
        if (Count > 0 && Used + need > MaxBytes)
            return false;
        if (_end + need > _buffer.Length)
            Make(need, right: true);
        _end += WriteLength(_buffer.AsSpan(_end), element.Length);
        element.CopyTo(_buffer, _end);
        _end += element.Length;
        _end += WriteLengthBackwards(_buffer.AsSpan(_end), element.Length);
        Count++;
        return true;
    }

    public bool TryPushLeft(byte[] element)
    {
        var need = Need(element.Length);
        if (Count > 0 && Used + need > MaxBytes)
            return false;
        if (_start < need)
            Make(need, right: false);
        _start -= need;
        var at = _start + WriteLength(_buffer.AsSpan(_start), element.Length);
        element.CopyTo(_buffer, at);
        WriteLengthBackwards(_buffer.AsSpan(at + element.Length), element.Length);
        Count++;
        return true;
    }

    /// <summary>Drops the first element; returns its length.</summary>
    public int PopLeft()
    {
        var (length, size) = ReadLength(_start);
        _start += size + length + size;
        Count--;
        return length;
    }

    /// <summary>Drops the last element; returns its length.</summary>
    public int PopRight()
    {
        var (length, size) = ReadLengthBackwards(_end);
        _end -= size + length + size;
        Count--;
        return length;
    }

    public byte[] Get(int index)
    {
        if (index < Count / 2)
        {
            foreach (var element in Forward(index))
                return element.ToArray();
        }
        var skip = Count - 1 - index;
        foreach (var element in Backward())
        {
            if (skip-- == 0)
                return element.ToArray();
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }

    public IEnumerable<ReadOnlyMemory<byte>> Forward(int from = 0)
    {
        var at = _start;
        for (var i = 0; i < Count; i++)
        {
            var (length, size) = ReadLength(at);
            if (i >= from)
                yield return new ReadOnlyMemory<byte>(_buffer, at + size, length);
            at += size + length + size;
        }
    }

    public IEnumerable<ReadOnlyMemory<byte>> Backward()
    {
        var at = _end;
        for (var i = 0; i < Count; i++)
        {
            var (length, size) = ReadLengthBackwards(at);
            at -= size + length + size;
            yield return new ReadOnlyMemory<byte>(_buffer, at + size, length);
        }
    }

    public List<byte[]> ToList()
    {
        var elements = new List<byte[]>(Count);
        foreach (var element in Forward())
            elements.Add(element.ToArray());
        return elements;
    }

    // Room for need more bytes on one side: the packed bytes move to the other side of the same array when
    // it has the room, else to a larger one (doubling up to MaxBytes, so a chunk's waste stays small).
    private void Make(int need, bool right)
    {
        var used = Used;
        var capacity = _buffer.Length;
        if (used + need > capacity)
            capacity = Math.Max(used + need, Math.Min(MaxBytes, Math.Max(MinCapacity, capacity * 2)));
        var buffer = capacity == _buffer.Length ? _buffer : new byte[capacity];
        var start = right ? 0 : capacity - used;
        Array.Copy(_buffer, _start, buffer, start, used);
        _buffer = buffer;
        _start = start;
        _end = start + used;
    }

    private static int Need(int length) => length + 2 * SizeOf(length);

    private static int SizeOf(int length)
    {
        var size = 1;
        while (length >= 0x80)
        {
            length >>= 7;
            size++;
        }
        return size;
    }

    private static int WriteLength(Span<byte> to, int length)
    {
        var i = 0;
        while (length >= 0x80)
        {
            to[i++] = (byte)(length | 0x80);
            length >>= 7;
        }
        to[i++] = (byte)length;
        return i;
    }

    // The same bytes in reverse order, so reading back from the end meets the varint's first byte first.
    private static int WriteLengthBackwards(Span<byte> to, int length)
    {
        var size = SizeOf(length);
        Span<byte> forward = stackalloc byte[5];
        WriteLength(forward, length);
        for (var i = 0; i < size; i++)
            to[size - 1 - i] = forward[i];
        return size;
    }

    private (int Length, int Size) ReadLength(int at)
    {
        int length = 0, shift = 0, size = 0;
        byte b;
        do
        {
            b = _buffer[at + size++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return (length, size);
    }

    // The length of the element that ends at end.
    private (int Length, int Size) ReadLengthBackwards(int end)
    {
        int length = 0, shift = 0, size = 0;
        byte b;
        do
        {
            b = _buffer[end - 1 - size++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return (length, size);
    }
}
