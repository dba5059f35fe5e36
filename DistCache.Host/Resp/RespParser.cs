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
    /// <summary>Reads one request from the start of <paramref name="buffer"/> into <paramref name="args"/>.
    /// On success the buffer is moved past it; when incomplete it is left as it was.</summary>
    public ParseOutcome TryRead(ref ReadOnlySequence<byte> buffer, RespArgs args)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out var first))
            return new ParseOutcome(ParseStatus.Incomplete);
        args.Begin();
        var outcome = first == (byte)'*' ? ReadArray(ref reader, args) : ReadInline(ref reader, args);
        if (outcome.Status == ParseStatus.Command && first == (byte)'*')
            args.End(buffer.Slice(0, reader.Position));
        if (outcome.Status != ParseStatus.Incomplete)
            buffer = buffer.Slice(reader.Position);
        return outcome;
    }

    private ParseOutcome ReadArray(ref SequenceReader<byte> reader, RespArgs args)
    {
        reader.Advance(1);
        switch (ReadNumber(ref reader, out var count))
        {
            case Number.Incomplete:
                return new ParseOutcome(ParseStatus.Incomplete);
            case Number.Invalid:
                return Error("invalid multibulk length");
        }
        if (count > limits.MaxArguments)
            return Error("invalid multibulk length");

        for (var i = 0; i < count; i++)
        {
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
            if (reader.Remaining < length + 2)
                return new ParseOutcome(ParseStatus.Incomplete);
            args.Add((int)reader.Consumed, (int)length);
            reader.Advance(length);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
                return Error("bulk string not terminated by CRLF");
        }
        return new ParseOutcome(ParseStatus.Command);
    }

    private ParseOutcome ReadInline(ref SequenceReader<byte> reader, RespArgs args)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            return reader.Remaining > limits.MaxInlineBytes ? Error("too big inline request") : new ParseOutcome(ParseStatus.Incomplete);
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
        return Utf8Parser.TryParse(digits[..n], out value, out var used) && used == n ? Number.Ok : Number.Invalid;
    }

    private static string Printable(byte b) => b is >= 32 and < 127 ? ((char)b).ToString() : $"\\x{b:x2}";

    private static ParseOutcome Error(string message) => new(ParseStatus.ProtocolError, Error: "ERR Protocol error: " + message);
}
