using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace DistCache.Host.Resp;

/// <summary>Writes replies in RESP2 or RESP3 straight into the connection's output buffer.</summary>
public static class RespWriter
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private static readonly byte[] TxtFormat = "txt:"u8.ToArray();

    public static void Write(IBufferWriter<byte> output, RespValue value, int protocol)
    {
        switch (value)
        {
            case RespSimple simple:
                Line(output, (byte)'+', simple.Text);
                break;
            case RespError error:
                Line(output, (byte)'-', error.Message);
                break;
            case RespInteger integer:
                Number(output, (byte)':', integer.Value);
                break;
            case RespBulk bulk:
                Number(output, (byte)'$', bulk.Data.Length);
                output.Write(bulk.Data);
                output.Write(CrLf);
                break;
            case RespVerbatim verbatim when protocol >= 3:
                Number(output, (byte)'=', verbatim.Data.Length + TxtFormat.Length);
                output.Write(TxtFormat);
                output.Write(verbatim.Data);
                output.Write(CrLf);
                break;
            case RespVerbatim verbatim:
                Number(output, (byte)'$', verbatim.Data.Length);
                output.Write(verbatim.Data);
                output.Write(CrLf);
                break;
            case RespNull:
                output.Write(protocol >= 3 ? "_\r\n"u8 : "$-1\r\n"u8);
                break;
            case RespNullArray:
                output.Write(protocol >= 3 ? "_\r\n"u8 : "*-1\r\n"u8);
                break;
            case RespArray array:
                Number(output, (byte)'*', array.Items.Count);
                foreach (var item in array.Items)
                    Write(output, item, protocol);
                break;
            case RespPush push:
                Number(output, protocol >= 3 ? (byte)'>' : (byte)'*', push.Items.Count);
                foreach (var item in push.Items)
                    Write(output, item, protocol);
                break;
            case RespFrames frames:
                foreach (var frame in frames.Frames)
                    Write(output, frame, protocol);
                break;
            case RespSet set:
                Number(output, protocol >= 3 ? (byte)'~' : (byte)'*', set.Items.Count);
                foreach (var item in set.Items)
                    Write(output, item, protocol);
                break;
            case RespMap map:
                Number(output, protocol >= 3 ? (byte)'%' : (byte)'*', protocol >= 3 ? map.Entries.Count : map.Entries.Count * 2);
                foreach (var (key, entry) in map.Entries)
                {
                    Write(output, key, protocol);
                    Write(output, entry, protocol);
                }
                break;
            case RespPairs pairs:
                Number(output, (byte)'*', protocol >= 3 ? pairs.Entries.Count : pairs.Entries.Count * 2);
                foreach (var (first, second) in pairs.Entries)
                {
                    if (protocol >= 3)
                        output.Write("*2\r\n"u8);
                    Write(output, first, protocol);
                    Write(output, second, protocol);
                }
                break;
            case RespDouble score:
                var text = Encoding.ASCII.GetBytes(DistCache.Actors.Partitions.ScoreText.Format(score.Value));
                if (protocol >= 3)
                {
                    output.Write(","u8);
                }
                else
                {
                    Number(output, (byte)'$', text.Length);
                }
                output.Write(text);
                output.Write(CrLf);
                break;
            default:
                throw new ArgumentException($"Unknown reply {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>The header of an array of <paramref name="count"/> items, for a writer that sends its items
    /// as it goes (<see cref="RespReplyQueue"/>).</summary>
    public static void ArrayHeader(IBufferWriter<byte> output, int count) => Number(output, (byte)'*', count);

    private static void Line(IBufferWriter<byte> output, byte prefix, string text)
    {
        // A status or error line ends at the first CR or LF: the protocol has no escape for them.
        var clean = text.Replace('\r', ' ').Replace('\n', ' ');
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(clean.Length) + 3);
        span[0] = prefix;
        var length = Encoding.UTF8.GetBytes(clean, span[1..]);
        span[1 + length] = (byte)'\r';
        span[2 + length] = (byte)'\n';
        output.Advance(length + 3);
    }

    private static void Number(IBufferWriter<byte> output, byte prefix, long value)
    {
        var span = output.GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out var length);
        span[1 + length] = (byte)'\r';
        span[2 + length] = (byte)'\n';
        output.Advance(length + 3);
    }
}
