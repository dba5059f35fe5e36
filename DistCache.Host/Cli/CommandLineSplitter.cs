using System.Text;

namespace DistCache.Host.Cli;

/// <summary>Splits one line of a `batch` script into arguments as redis-cli splits its input: words
/// separated by blanks; "double quotes" with \" \\ \n \r \t and \xHH escapes; 'single quotes' taken
/// literally but for \'. \xHH is ASCII only (arguments are text). Pure, so it is tested alone.</summary>
public static class CommandLineSplitter
{
    public static IReadOnlyList<string> Split(string line)
    {
        var args = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
                i++;
            if (i == line.Length)
                return args;
            var word = new StringBuilder();
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                var c = line[i];
                if (c == '"')
                    i = Quoted(line, i + 1, word, doubleQuoted: true);
                else if (c == '\'')
                    i = Quoted(line, i + 1, word, doubleQuoted: false);
                else
                {
                    word.Append(c);
                    i++;
                }
            }
            args.Add(word.ToString());
        }
    }

    // Returns the index after the closing quote.
    private static int Quoted(string line, int i, StringBuilder word, bool doubleQuoted)
    {
        var quote = doubleQuoted ? '"' : '\'';
        while (i < line.Length)
        {
            var c = line[i];
            if (c == quote)
                return i + 1;
            if (c == '\\' && i + 1 < line.Length)
            {
                var next = line[i + 1];
                if (!doubleQuoted)
                {
                    word.Append(next == '\'' ? "'" : "\\" + next);
                    i += 2;
                    continue;
                }
                if (next == 'x' && i + 3 < line.Length && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                {
                    var code = Convert.ToInt32(line.Substring(i + 2, 2), 16);
                    // Arguments are text, stored as UTF-8: \xff would become two bytes, not the byte redis-cli sends.
                    if (code > 0x7f)
                        throw new ArgumentException($"\\x{line.Substring(i + 2, 2)} is not ASCII: give binary keys with --key-hex and values with --file");
                    word.Append((char)code);
                    i += 4;
                    continue;
                }
                word.Append(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'a' => '\a', 'b' => '\b', _ => next });
                i += 2;
                continue;
            }
            word.Append(c);
            i++;
        }
        throw new ArgumentException($"unbalanced {(doubleQuoted ? "double" : "single")} quotes");
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
