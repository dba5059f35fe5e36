namespace DistCache.Host.Resp;

/// <summary>A reply in the Redis protocol. It is written as RESP2 or RESP3, whichever the connection
/// chose with HELLO when the reply was produced.</summary>
public abstract record RespValue
{
    public static readonly RespValue Ok = new RespSimple("OK");
    public static readonly RespValue Pong = new RespSimple("PONG");
    public static readonly RespValue Null = new RespNull();
    public static readonly RespValue NullArray = new RespNullArray();
    public static readonly RespValue EmptyArray = new RespArray([]);

    public static RespValue Bulk(string text) => new RespBulk(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A key as the client sent it: its bytes, never decoded.</summary>
    public static RespValue Bulk(DistCache.Protocol.CacheKey key) => new RespBulk(key.ToArray());

    /// <summary>Text meant for people (INFO, CLIENT LIST): a verbatim string in RESP3, a bulk string in RESP2.</summary>
    public static RespValue Verbatim(string text) => new RespVerbatim(System.Text.Encoding.UTF8.GetBytes(text));

    public static RespValue Error(string message) => new RespError(message);
}

/// <summary>+text: a short status such as OK or PONG.</summary>
public sealed record RespSimple(string Text) : RespValue;

/// <summary>-message: the message starts with the error's kind in capitals (ERR, WRONGTYPE, NOPROTO…).</summary>
public sealed record RespError(string Message) : RespValue;

public sealed record RespInteger(long Value) : RespValue;

public sealed record RespBulk(byte[] Data) : RespValue;

/// <summary>=len\r\ntxt:text in RESP3 (Redis 7 answers INFO and CLIENT LIST/INFO so), a plain bulk string in RESP2.
/// Always the "txt" format: Redis uses "mkd" only for LATENCY DOCTOR-like prose we do not serve.</summary>
public sealed record RespVerbatim(byte[] Data) : RespValue;

/// <summary>A missing value: $-1 in RESP2, _ in RESP3.</summary>
public sealed record RespNull : RespValue;

/// <summary>A missing array (LPOP with a count on a missing key, LMPOP or ZMPOP with nothing to pop, ZRANK …
/// WITHSCORE of a missing member): *-1 in RESP2, _ in RESP3.</summary>
public sealed record RespNullArray : RespValue;

public sealed record RespArray(IReadOnlyList<RespValue> Items) : RespValue;

/// <summary>Unordered distinct items (COMMAND INFO's flags and categories): a set in RESP3, an array in RESP2.</summary>
public sealed record RespSet(IReadOnlyList<RespValue> Items) : RespValue;

/// <summary>Pairs that are not a map (HRANDFIELD … WITHVALUES may repeat a field): an array of two-item
/// arrays in RESP3, a flat array of both items in RESP2, as Redis 7 answers them.</summary>
public sealed record RespPairs(IReadOnlyList<KeyValuePair<RespValue, RespValue>> Entries) : RespValue;

/// <summary>Key-value pairs: a map in RESP3, a flat array of keys and values in RESP2.</summary>
public sealed record RespMap(IReadOnlyList<KeyValuePair<RespValue, RespValue>> Entries) : RespValue;

/// <summary>A score: ,1.5 in RESP3, a bulk string of the same text in RESP2 (Redis 7.2 addReplyDouble,
/// printed by <see cref="DistCache.Actors.Partitions.ScoreText.Format"/>).</summary>
public sealed record RespDouble(double Value) : RespValue;

/// <summary>Out-of-band data (pub/sub messages and the replies of SUBSCRIBE and kin): a push (&gt;) in RESP3,
/// an array in RESP2, where a subscribed connection reads everything as such arrays.</summary>
public sealed record RespPush(IReadOnlyList<RespValue> Items) : RespValue;

/// <summary>Several replies to one command, written one after another (SUBSCRIBE a b answers one push per
/// channel).</summary>
public sealed record RespFrames(IReadOnlyList<RespValue> Frames) : RespValue;
