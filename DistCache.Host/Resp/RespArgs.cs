using System.Buffers;
using System.Buffers.Text;
using System.Text;
using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>One request's arguments as ranges of the bytes it arrived in, as Garnet reads them: nothing
/// is copied or decoded until a command asks for it (a key as a string, a value as the array it will be
/// stored in). Owned by one connection and refilled for each request, so it is only valid until the
/// read loop moves past that request; plans built from it hold their own copies.</summary>
public sealed class RespArgs
{
    private ReadOnlyMemory<byte> _data;
    private (int Start, int Length)[] _ranges = new (int, int)[8];
    // A request that arrived split over the pipe's segments is copied here to be read as one span.
    private byte[] _joined = [];

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int index] => _data.Span.Slice(_ranges[index].Start, _ranges[index].Length);

    /// <summary>A copy of the argument, for a value to store or echo.</summary>
    public byte[] Bytes(int index) => this[index].ToArray();

    public string Text(int index) => Encoding.UTF8.GetString(this[index]);

    /// <summary>A key: a copy of the argument's bytes, never decoded, so keys that are not UTF-8 stay distinct.</summary>
    public CacheKey Key(int index) => CacheKey.Copy(this[index]);

    /// <summary>The argument as a known command or option word (upper case, shared), or null: a lookup
    /// on the bytes, without building a string.</summary>
    public string? Word(int index) => RespWords.Find(this[index]);

    /// <summary>Redis's integers: an optional minus and digits, nothing else (no "+1", no spaces, no "1.0").</summary>
    public bool TryInteger(int index, out long value)
    {
        var span = this[index];
        value = 0;
        return span.Length > 0 && span[0] != (byte)'+' && Utf8Parser.TryParse(span, out value, out var used) && used == span.Length;
    }

    /// <summary>Arguments given as words, for tests and for commands built in code.</summary>
    public static RespArgs Of(params string[] words) => Of(words.Select(Encoding.UTF8.GetBytes).ToArray());

    public static RespArgs Of(params byte[][] words)
    {
        var args = new RespArgs();
        var data = new List<byte>();
        args.Begin();
        foreach (var word in words)
        {
            args.Add(data.Count, word.Length);
            data.AddRange(word);
        }
        args.End(new ReadOnlySequence<byte>(data.ToArray()));
        return args;
    }

    internal void Begin() => Count = 0;

    internal void Add(int start, int length)
    {
        if (Count == _ranges.Length)
            Array.Resize(ref _ranges, _ranges.Length * 2);
        _ranges[Count++] = (start, length);
    }

    /// <summary>Points the ranges (offsets from the request's first byte) at the request's bytes.</summary>
    internal void End(ReadOnlySequence<byte> request)
    {
        if (request.IsSingleSegment)
        {
            _data = request.First;
            return;
        }
        if (_joined.Length < request.Length)
            _joined = new byte[Math.Max(request.Length, _joined.Length * 2)];
        request.CopyTo(_joined);
        _data = _joined.AsMemory(0, (int)request.Length);
    }

    /// <summary>Lets go of the request's bytes (the pipe reuses them) and of a large joined copy.</summary>
    internal void Release()
    {
        _data = default;
        if (_joined.Length > 64 * 1024)
            _joined = [];
    }
}
