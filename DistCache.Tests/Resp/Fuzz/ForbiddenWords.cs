namespace DistCache.Tests.Resp.Fuzz;

/// <summary>What a fuzz connection must never say, so that no mutation can legitimately change the canary
/// keys: their prefix, and the keyless commands that could touch every key (FLUSHALL and FLUSHDB, CONFIG SET
/// maxmemory, CLIENT KILL; SHUTDOWN and DEBUG should they ever be added). Checked over everything sent on one
/// connection, since a word may straddle two frames.
/// A word can reach the server through an inline command in pieces: between quotes (<c>fl"ushall"</c>) or
/// as escapes in double quotes (<c>"\x66lushall"</c>, <c>"\flushall"</c>), as RespInlineSplitter decodes
/// them. So the words are looked for, case-insensitively, among the letters alone of two views of the bytes:
/// as sent, and with the escapes decoded. Either view only ever finds more than the server could decode,
/// which costs a few harmless frames and never lets a real one through.</summary>
public sealed class ForbiddenWords
{
    private static readonly string[] Words = ["canary", "flush", "config", "kill", "shutdown", "debug"];

    // Longer than any word spelt with escapes (8 letters as \xHH) plus its quotes.
    private const int Carried = 128;

    private byte[] _sent = [];

    /// <summary>True, and remembered as sent, when <paramref name="frame"/> after what was sent before it
    /// contains no forbidden word.</summary>
    public bool Allows(byte[] frame)
    {
        var text = new byte[_sent.Length + frame.Length];
        _sent.CopyTo(text, 0);
        frame.CopyTo(text, _sent.Length);
        if (Contains(Letters(text)) || Contains(Letters(Unescaped(text))))
            return false;
        _sent = text[Math.Max(0, text.Length - Carried)..];
        return true;
    }

    private static bool Contains(string letters)
    {
        foreach (var word in Words)
        {
            if (letters.Contains(word, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static string Letters(byte[] text)
    {
        var letters = new char[text.Length];
        var n = 0;
        foreach (var b in text)
        {
            if (b is >= (byte)'a' and <= (byte)'z')
                letters[n++] = (char)b;
            else if (b is >= (byte)'A' and <= (byte)'Z')
                letters[n++] = (char)(b + 32);
        }
        return new string(letters, 0, n);
    }

    // As sdssplitargs decodes a double-quoted string, applied everywhere: outside quotes it only adds letters.
    private static byte[] Unescaped(byte[] text)
    {
        var output = new byte[text.Length];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                output[n++] = text[i];
            }
            else if (text[i + 1] == 'x' && i + 3 < text.Length && IsHex(text[i + 2]) && IsHex(text[i + 3]))
            {
                output[n++] = (byte)(Convert.ToInt32(((char)text[i + 2]).ToString() + (char)text[i + 3], 16));
                i += 3;
            }
            else
            {
                i++;
                output[n++] = text[i] switch
                {
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    (byte)'b' => (byte)'\b',
                    (byte)'a' => (byte)'\a',
                    var other => other,
                };
            }
        }
        return output[..n];
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
}
