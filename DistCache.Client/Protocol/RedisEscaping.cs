using System.Text;

namespace DistCache.Protocol;

/// <summary>Bytes as Redis prints them where text is expected (its <c>sdscatrepr</c>: redis-cli's output,
/// CLIENT LIST, error messages): in double quotes, with <c>\\ \" \n \r \t \a \b</c> and <c>\xHH</c> for
/// every other byte outside printable ASCII.</summary>
public static class RedisEscaping
{
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 2);
        text.Append('"');
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case 7: text.Append("\\a"); break;
                case 8: text.Append("\\b"); break;
                case >= 0x20 and < 0x7f: text.Append((char)b); break;
                default: text.Append("\\x").Append(b.ToString("x2")); break;
            }
        }
        return text.Append('"').ToString();
    }
}
