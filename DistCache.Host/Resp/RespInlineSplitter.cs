namespace DistCache.Host.Resp;

/// <summary>Splits an inline command (what a person types into telnet or nc) into arguments exactly as
/// Redis's sdssplitargs does (sds.c): words between blanks; "double quotes" with the escapes \n \r \t \b
/// \a \xHH and a backslash before any other character; 'single quotes' with only \'. A closing quote must
/// be followed by a blank or the end of the line, and an unclosed quote fails the whole line (Redis then
/// answers "unbalanced quotes" and closes the connection).</summary>
public static class RespInlineSplitter
{
    /// <summary>The arguments as ranges of <paramref name="data"/>, which holds them decoded; false when the quotes do not balance.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out byte[] data, List<(int Start, int Length)> words)
    {
        var output = new byte[line.Length];
        var n = 0;
        var p = 0;
        data = output;
        // A NUL ends the line, as it ends the C string Redis splits.
        var zero = line.IndexOf((byte)0);
        if (zero >= 0)
            line = line[..zero];
        while (true)
        {
            while (p < line.Length && IsSpace(line[p]))
                p++;
            if (p == line.Length)
                return true;
            var start = n;
            var inDouble = false;
            var inSingle = false;
            var done = false;
            while (!done)
            {
                var c = At(line, p);
                if (inDouble)
                {
                    if (c == '\\' && At(line, p + 1) == 'x' && IsHex(At(line, p + 2)) && IsHex(At(line, p + 3)))
                    {
                        output[n++] = (byte)(Hex(At(line, p + 2)) * 16 + Hex(At(line, p + 3)));
                        p += 3;
                    }
                    else if (c == '\\' && At(line, p + 1) != 0)
                    {
                        p++;
                        output[n++] = At(line, p) switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        };
                    }
                    else if (c == '"')
                    {
                        if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1)))
                            return false;
                        done = true;
                    }
                    else if (c == 0)
                    {
                        return false;
                    }
                    else
                    {
                        output[n++] = c;
                    }
                }
                else if (inSingle)
                {
                    if (c == '\\' && At(line, p + 1) == '\'')
                    {
                        p++;
                        output[n++] = (byte)'\'';
                    }
                    else if (c == '\'')
                    {
                        if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1)))
                            return false;
                        done = true;
                    }
                    else if (c == 0)
                    {
                        return false;
                    }
                    else
                    {
                        output[n++] = c;
                    }
                }
                else
                {
                    switch (c)
                    {
                        case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0:
                            done = true;
                            break;
                        case (byte)'"':
                            inDouble = true;
                            break;
                        case (byte)'\'':
                            inSingle = true;
                            break;
                        default:
                            output[n++] = c;
                            break;
                    }
                }
                if (p < line.Length)
                    p++;
            }
            words.Add((start, n - start));
        }
    }

    // The line as a C string: 0 past its end.
    private static byte At(ReadOnlySpan<byte> line, int i) => i < line.Length ? line[i] : (byte)0;

    // C's isspace in the "C" locale.
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static int Hex(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
