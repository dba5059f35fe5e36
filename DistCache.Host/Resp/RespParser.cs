using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace DistCache.Host.Resp;

public enum ParseStatus
{
    /// <summary>The buffer ends inside a request: wait for more bytes.</summary>
    Incomplete,
    Command,
    /// <summary>Not the protocol: answer the error and close the connection, as Redis does.</summary>
    ProtocolError,
}

public readonly record struct ParseOutcome(ParseStatus Status, string? Error = null);

/// <summary>Reads requests from the bytes a client sent: RESP arrays of bulk strings (what every client
/// library and redis-cli send) and inline commands (what a person types into telnet). The arguments are
/// left where they arrived (see <see cref="RespArgs"/>): nothing is allocated per request, and every
/// length is checked against <see cref="RespLimits"/> before the parser waits for it, so a lying header
/// cannot make the node reserve memory.</summary>
public sealed class RespParser(RespLimits limits)
{
    /// <summary>Set while the connection has not authenticated: requests are held to Redis's limits for
    /// that (<see cref="RespLimits.MaxArgumentsBeforeAuth"/>).</summary>
    public bool Unauthenticated { get; set; }

    /// <summary>Reads one request from the start of <paramref name="buffer"/> into <paramref name="args"/>.
    /// On success the buffer is moved past it; when incomplete it is left as it was.</summary>
    /// <remarks>An unfinished request is not read again from its start: the parser remembers how far it got
    /// (the array's count, its whole elements, how much of an inline line holds no newline), so each call
    /// costs what the bytes added since the last one cost, however much is buffered. It expects the next
    /// call to start at the same request with at least the same bytes, as a connection's buffer does.</remarks>
    public ParseOutcome TryRead(ref ReadOnlySequence<byte> buffer, RespArgs args)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out var first))
            return new ParseOutcome(ParseStatus.Incomplete);
        if (_array is null && _inlineScanned == 0)
            args.Begin();
        var outcome = first == (byte)'*' ? ReadArray(ref reader, args) : ReadInline(ref reader, args);
        if (outcome.Status == ParseStatus.Incomplete)
            return outcome;
        _array = null;
        _inlineScanned = 0;
        if (outcome.Status == ParseStatus.Command && first == (byte)'*')
            args.End(buffer.Slice(0, reader.Position));
        buffer = buffer.Slice(reader.Position);
        return outcome;
    }

    /// <summary>Element headers read so far: the parser's work, which a test holds to the bytes received.</summary>
    public long ElementsRead { get; private set; }

    // An array request read in part: its count, whole elements, and the bytes up to the end of the last one.
    private sealed class PartialArray
    {
        public long Count;
        public int Done;
        public long Consumed;
    }

    private PartialArray? _array;
    // Bytes of an unfinished inline line already searched for its newline.
    private long _inlineScanned;

    private ParseOutcome ReadArray(ref SequenceReader<byte> reader, RespArgs args)
    {
        if (_array is { } partial)
        {
            reader.Advance(partial.Consumed);
        }
        else
        {
            reader.Advance(1);
            switch (ReadNumber(ref reader, out var header))
            {
                case Number.Incomplete:
                    return new ParseOutcome(ParseStatus.Incomplete);
                case Number.Invalid:
                    return Error("invalid multibulk length");
            }
            if (header > limits.MaxArguments)
                return Error("invalid multibulk length");
            if (Unauthenticated && header > RespLimits.MaxArgumentsBeforeAuth)
                return Error("unauthenticated multibulk length");
            partial = _array = new PartialArray { Count = header, Consumed = reader.Consumed };
        }

        for (var i = partial.Done; i < partial.Count; i++)
        {
            ElementsRead++;
            if (!reader.TryRead(out var marker))
                return new ParseOutcome(ParseStatus.Incomplete);
            if (marker != (byte)'$')
                return Error($"expected '$', got '{Printable(marker)}'");
            switch (ReadNumber(ref reader, out var length))
            {
                case Number.Incomplete:
                    return new ParseOutcome(ParseStatus.Incomplete);
                case Number.Invalid:
                    return Error("invalid bulk length");
            }
            if (length < 0 || length > limits.MaxBulkBytes)
                return Error("invalid bulk length");
            if (Unauthenticated && length > RespLimits.MaxBulkBytesBeforeAuth)
                return Error("unauthenticated bulk length");
            if (reader.Remaining < length + 2)
                return new ParseOutcome(ParseStatus.Incomplete);
            args.Add((int)reader.Consumed, (int)length);
            reader.Advance(length);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
                return Error("bulk string not terminated by CRLF");
            partial.Done = i + 1;
            partial.Consumed = reader.Consumed;
        }
        return new ParseOutcome(ParseStatus.Command);
    }

    private ParseOutcome ReadInline(ref SequenceReader<byte> reader, RespArgs args)
    {
        reader.Advance(_inlineScanned);
        if (!reader.TryAdvanceTo((byte)'\n'))
        {
            if (reader.Remaining + _inlineScanned > limits.MaxInlineBytes)
                return Error("too big inline request");
            _inlineScanned += reader.Remaining;
            return new ParseOutcome(ParseStatus.Incomplete);
        }
        var line = reader.Sequence.Slice(0, reader.Consumed - 1);
        if (line.Length > limits.MaxInlineBytes)
            return Error("too big inline request");
        // Split as Redis splits it (quotes and escapes); the arguments live in the decoded copy, not in
        // the request's bytes. Inline commands are typed by people, so the copy costs nothing that matters.
        var bytes = line.ToArray().AsSpan();
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            bytes = bytes[..^1];
        var words = new List<(int Start, int Length)>();
        if (!RespInlineSplitter.TrySplit(bytes, out var decoded, words))
            return Error("unbalanced quotes in request");
        foreach (var (start, length) in words)
            args.Add(start, length);
        args.End(new ReadOnlySequence<byte>(decoded));
        return new ParseOutcome(ParseStatus.Command);
    }

    private enum Number
    {
        Ok,
        Incomplete,
        Invalid,
    }

    // A header line: digits (with an optional minus) up to CRLF, at most 20 characters.
    private static Number ReadNumber(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        Span<byte> digits = stackalloc byte[24];
        var n = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
                return Number.Incomplete;
            if (b == (byte)'\r')
                break;
            if (n == 21)
                return Number.Invalid;
            digits[n++] = b;
        }
        if (!reader.TryRead(out var lf))
            return Number.Incomplete;
        if (lf != (byte)'\n' || n == 0)
            return Number.Invalid;
        return IsRedisInteger(digits[..n]) && Utf8Parser.TryParse(digits[..n], out value, out var used) && used == n
            ? Number.Ok
            : Number.Invalid;
    }

    // What Redis's string2ll accepts: "0", or an optional minus and a digit 1-9 followed by digits. So no
    // plus sign, no leading zero and no "-0": "$-0" and "*+5" are protocol errors, as in Redis.
    private static bool IsRedisInteger(ReadOnlySpan<byte> text)
    {
        if (text.Length == 1 && text[0] == (byte)'0')
            return true;
        var body = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        if (body.IsEmpty || body[0] is < (byte)'1' or > (byte)'9')
            return false;
        foreach (var b in body[1..])
        {
            if (b is < (byte)'0' or > (byte)'9')
                return false;
        }
        return true;
    }

    private static string Printable(byte b) => b is >= 32 and < 127 ? ((char)b).ToString() : $"\\x{b:x2}";

    private static ParseOutcome Error(string message) => new(ParseStatus.ProtocolError, Error: "ERR Protocol error: " + message);
}
