using System.Text;
using DistCache.Host.Resp;

namespace DistCache.Host.Cli;

/// <summary>Splits one line of a `batch` script into arguments with the Redis port's inline splitter
/// (Redis's sdssplitargs), so a line reads as it would in redis-cli. Arguments are text: a \xHH escape
/// that leaves bytes which are not UTF-8 is refused rather than stored as something else.</summary>
public static class BatchLine
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<(int Start, int Length)>();
        if (!RespInlineSplitter.TrySplit(Encoding.UTF8.GetBytes(line), out var data, words))
            throw new ArgumentException("unbalanced quotes");
        var args = new string[words.Count];
        for (var i = 0; i < args.Length; i++)
        {
            try
            {
                args[i] = StrictUtf8.GetString(data, words[i].Start, words[i].Length);
            }
            catch (DecoderFallbackException)
            {
                throw new ArgumentException($"argument {i + 1} is not UTF-8 text: give binary keys with --key-hex and values with --file");
            }
        }
        return args;
    }
}
