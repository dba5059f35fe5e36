using System.Text;

namespace DistCache.Tests.Resp.Fuzz;

/// <summary>Frames for the RESP fuzz test, all from one seeded <see cref="Random"/> so that a seed replays a
/// connection's frames: well-formed commands from <see cref="FuzzCommands"/>, the same mutated (bits flipped,
/// cut short, CRLFs doubled or dropped, lengths made negative, signed, huge or not numbers, types changed,
/// frames spliced into frames), nested arrays, inline commands with quotes and escapes, random bytes, and
/// requests that declare far more than they send. Nothing here checks what is safe to send: the connection
/// screens every frame with <see cref="ForbiddenWords"/>.</summary>
public sealed class RespFrameMutator(Random random, string password)
{
    // Lengths and counts on the edges of the parser: signs, zero, the stranger limits (10 elements,
    // 16 KiB), the largest value (16 MiB), Int32/Int64 overflow, and things that are not numbers.
    private static readonly string[] Lengths =
    [
        "-1", "-0", "-2", "0", "+5", "+0", "05", " 5", "5 ", "1.5", "1e3", "0x10", "", "x", "-", "11", "16385", "65536",
        "16777216", "16777217", "536870912", "2147483647", "2147483648", "4294967296", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "99999999999999999999",
    ];

    private static readonly byte[] Interesting = "\r\n*$+-:_,#!=(%~>|0123456789 \"'\\\0\t"u8.ToArray();

    public byte[] Authentication() => Multibulk(["AUTH", password]);

    public byte[] Next() => random.Next(100) switch
    {
        < 15 => Command(),
        < 50 => Mutate(Command()),
        < 57 => Nested(random.Next(1, 7)),
        < 67 => Inline(),
        < 74 => RandomBytes(),
        < 80 => DeclaresMoreThanItSends(),
        < 86 => Pipeline(),
        < 92 => ManyArguments(),
        _ => BigValue(),
    };

    /// <summary>A well-formed command of <see cref="FuzzCommands"/> as a RESP array of bulk strings.</summary>
    public byte[] Command() => Multibulk(Words(Pick(FuzzCommands.All)));

    private byte[] Mutate(byte[] frame)
    {
        var bytes = new List<byte>(frame);
        for (var count = random.Next(1, 4); count > 0; count--)
        {
            switch (random.Next(10))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = Pick(Interesting);
                    break;
                case 2 when bytes.Count > 0:
                    Truncate(bytes);
                    break;
                case 3:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Enumerable.Range(0, random.Next(1, 9)).Select(_ => Pick(Interesting)));
                    break;
                case 4:
                    EditCrlf(bytes, duplicate: true);
                    break;
                case 5:
                    EditCrlf(bytes, duplicate: false);
                    break;
                case 6:
                case 7:
                    ChangeHeader(bytes, changeType: false);
                    break;
                case 8:
                    ChangeHeader(bytes, changeType: true);
                    break;
                default:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Command());
                    break;
            }
        }
        return bytes.ToArray();
    }

    private void Truncate(List<byte> bytes)
    {
        var keep = random.Next(bytes.Count);
        bytes.RemoveRange(keep, bytes.Count - keep);
    }

    private void EditCrlf(List<byte> bytes, bool duplicate)
    {
        var at = Occurrence(bytes, i => bytes[i] == '\r' && i + 1 < bytes.Count && bytes[i + 1] == '\n');
        if (at < 0)
            return;
        if (duplicate)
            bytes.InsertRange(at, "\r\n"u8.ToArray());
        else if (random.Next(3) == 0)
            bytes.RemoveRange(at, 2);
        else
            bytes.RemoveAt(at + random.Next(2));
    }

    // A '*' or '$' header gets another count, or another RESP type byte (RESP3's included).
    private void ChangeHeader(List<byte> bytes, bool changeType)
    {
        var at = Occurrence(bytes, i => bytes[i] is (byte)'*' or (byte)'$' && (i == 0 || bytes[i - 1] == '\n'));
        if (at < 0)
            return;
        if (changeType)
        {
            bytes[at] = Pick("*$+-:_,#!=(%~>|a\0"u8.ToArray());
            return;
        }
        var end = bytes.IndexOf((byte)'\r', at);
        if (end < 0)
            end = bytes.Count;
        bytes.RemoveRange(at + 1, end - at - 1);
        bytes.InsertRange(at + 1, Encoding.ASCII.GetBytes(Pick(Lengths)));
    }

    // The position of a random one of the places that satisfy the condition, or -1.
    private int Occurrence(List<byte> bytes, Func<int, bool> matches)
    {
        var places = Enumerable.Range(0, bytes.Count).Where(matches).ToArray();
        return places.Length == 0 ? -1 : Pick(places);
    }

    // Arrays inside arrays, which the endpoint (like Redis) refuses: it expects bulk strings in a request.
    private byte[] Nested(int depth)
    {
        var frame = new StringBuilder();
        var count = random.Next(1, 4);
        frame.Append('*').Append(count).Append("\r\n");
        for (var i = 0; i < count; i++)
        {
            if (depth > 1 && random.Next(2) == 0)
                frame.Append(Encoding.Latin1.GetString(Nested(depth - 1)));
            else
                frame.Append("$4\r\nPING\r\n");
        }
        return Encoding.Latin1.GetBytes(frame.ToString());
    }

    // What a person would type into telnet, with Redis's quoting (sdssplitargs), now and then broken.
    private byte[] Inline()
    {
        var words = Words(Pick(FuzzCommands.All)).Select(w => Quoted(w)).ToList();
        var line = string.Join(random.Next(3) == 0 ? "\t" : " ", words);
        line = random.Next(8) switch
        {
            0 => line + " \"unbalanced",
            1 => line + " 'single\\'s'",
            2 => "\"\\x50ING\" " + line,
            3 => line + "\0hidden",
            4 => new string('a', random.Next(60_000, 70_000)),
            5 => "",
            _ => line,
        };
        return Encoding.Latin1.GetBytes(line + (random.Next(4) == 0 ? "\n" : "\r\n"));
    }

    private string Quoted(byte[] word)
    {
        var text = Encoding.Latin1.GetString(word);
        return random.Next(4) switch
        {
            0 => "\"" + string.Concat(text.Select(c => char.IsLetterOrDigit(c) && random.Next(3) > 0 ? c.ToString() : $"\\x{(int)c:x2}")) + "\"",
            1 => "'" + text.Replace("'", "\\'") + "'",
            _ => text,
        };
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(1, 1024)];
        random.NextBytes(bytes);
        return bytes;
    }

    // The header of a long bulk string or a big array, then a little of what it announced, never the rest.
    private byte[] DeclaresMoreThanItSends()
    {
        var size = Pick(new[] { 16_385, 100_000, 1_000_000, 16_777_216, 536_870_912 });
        var frame = random.Next(3) == 0
            ? $"*{size}\r\n$3\r\nGET\r\n"
            : $"*3\r\n$3\r\nSET\r\n$6\r\nfuzz:1\r\n${size}\r\n";
        return [.. Encoding.ASCII.GetBytes(frame), .. RandomBytes()];
    }

    // Several frames in one write, some of them mutated: the parser meets one request's end mid-buffer.
    private byte[] Pipeline()
    {
        var frames = new List<byte>();
        for (var count = random.Next(2, 40); count > 0; count--)
            frames.AddRange(random.Next(5) == 0 ? Mutate(Command()) : Command());
        return frames.ToArray();
    }

    // More than the 10 elements a stranger may send, and after AUTH an MGET of many keys.
    private byte[] ManyArguments()
    {
        var words = new List<byte[]> { "MGET"u8.ToArray() };
        for (var count = random.Next(5, 200); count > 0; count--)
            words.Add(Pick(FuzzCommands.Keys));
        return Multibulk(words);
    }

    // A value past the 16 KiB a stranger may send, which an authenticated connection may.
    private byte[] BigValue()
    {
        var value = new byte[random.Next(16_000, 40_000)];
        Array.Fill(value, (byte)'v');
        return Multibulk(["SET"u8.ToArray(), Pick(FuzzCommands.Keys), value]);
    }

    private List<byte[]> Words(string[] template) => template.Select(word => word switch
    {
        FuzzCommands.Key => Pick(FuzzCommands.Keys),
        FuzzCommands.Value => ValueBytes(),
        FuzzCommands.Number => Encoding.ASCII.GetBytes(Pick(FuzzCommands.Numbers)),
        FuzzCommands.Password => Encoding.ASCII.GetBytes(password),
        _ => Encoding.ASCII.GetBytes(word),
    }).ToList();

    private byte[] ValueBytes()
    {
        var value = new byte[random.Next(0, 24)];
        if (random.Next(2) == 0)
            random.NextBytes(value);
        else
            Array.Fill(value, (byte)('a' + random.Next(26)));
        return value;
    }

    private byte[] Multibulk(IReadOnlyList<string> words) => Multibulk(words.Select(Encoding.ASCII.GetBytes).ToList());

    private static byte[] Multibulk(IReadOnlyList<byte[]> words)
    {
        var frame = new List<byte>(Encoding.ASCII.GetBytes($"*{words.Count}\r\n"));
        foreach (var word in words)
        {
            frame.AddRange(Encoding.ASCII.GetBytes($"${word.Length}\r\n"));
            frame.AddRange(word);
            frame.AddRange("\r\n"u8.ToArray());
        }
        return frame.ToArray();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
