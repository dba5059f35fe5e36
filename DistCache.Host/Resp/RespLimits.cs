namespace DistCache.Host.Resp;

/// <summary>How much one request may claim before the connection is refused: a bulk string's length, an
/// array's count, an inline line, and the bytes a single unfinished request may hold in memory.</summary>
public sealed record RespLimits(int MaxBulkBytes, int MaxArguments, int MaxInlineBytes, long MaxRequestBytes)
{
    /// <summary>Before a connection has authenticated, Redis's limits (its fix for CVE-2021-32675): an array
    /// of more elements or a longer bulk string is a protocol error, so a stranger cannot make the node
    /// buffer more than about 160 KiB for one request.</summary>
    public const int MaxArgumentsBeforeAuth = 10;

    public const int MaxBulkBytesBeforeAuth = 16 * 1024;

    /// <summary>Bulk strings up to the node's largest value (plus room for the command around it).</summary>
    public static RespLimits For(int maxValueBytes) => new(
        MaxBulkBytes: Math.Max(maxValueBytes, 64 * 1024),
        MaxArguments: 1024 * 1024,
        MaxInlineBytes: 64 * 1024,
        MaxRequestBytes: Math.Max(2L * maxValueBytes, 64L * 1024 * 1024));
}
