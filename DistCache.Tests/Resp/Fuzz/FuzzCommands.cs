namespace DistCache.Tests.Resp.Fuzz;

/// <summary>The well-formed commands the fuzzer starts from before it mutates them: one or more of each family
/// the endpoint answers, writes included, but only on keys under <c>fuzz:</c> (<see cref="Key"/>, <see cref="Value"/>,
/// <see cref="Number"/> and <see cref="Password"/> are filled in per frame). FLUSHALL, FLUSHDB, CONFIG and
/// CLIENT KILL are left out altogether, and <see cref="ForbiddenWords"/> stops a mutation that spells them.</summary>
public static class FuzzCommands
{
    public const string Key = "{key}";
    public const string Value = "{value}";
    public const string Number = "{number}";
    public const string Password = "{password}";

    public static readonly string[][] All =
    [
        ["PING"], ["PING", Value], ["ECHO", Value], ["QUIT"], ["RESET"], ["SELECT", "0"], ["SELECT", Number],
        ["HELLO", "2"], ["HELLO", "3"], ["HELLO", "3", "AUTH", "default", Password], ["HELLO", "3", "AUTH", "default", Value],
        ["AUTH", Password], ["AUTH", "default", Password], ["AUTH", Value], ["AUTH", "nobody", Password],
        ["GET", Key], ["SET", Key, Value], ["SET", Key, Value, "EX", Number], ["SET", Key, Value, "PX", Number, "NX"],
        ["SET", Key, Value, "XX", "KEEPTTL", "GET"], ["SET", Key, Value, "EXAT", Number], ["SETNX", Key, Value],
        ["SETEX", Key, Number, Value], ["PSETEX", Key, Number, Value], ["GETSET", Key, Value], ["GETDEL", Key],
        ["GETEX", Key, "EX", Number], ["GETEX", Key, "PERSIST"], ["DEL", Key, Key], ["UNLINK", Key], ["EXISTS", Key, Key],
        ["TYPE", Key], ["INCR", Key], ["DECR", Key], ["INCRBY", Key, Number], ["DECRBY", Key, Number],
        ["INCRBYFLOAT", Key, "1.5e3"], ["APPEND", Key, Value], ["STRLEN", Key], ["EXPIRE", Key, Number, "NX"],
        ["PEXPIRE", Key, Number], ["EXPIREAT", Key, Number, "GT"], ["PEXPIREAT", Key, Number], ["TTL", Key], ["PTTL", Key],
        ["PERSIST", Key], ["EXPIRETIME", Key], ["PEXPIRETIME", Key], ["TOUCH", Key, Key], ["MGET", Key, Key, Key],
        ["MSET", Key, Value, Key, Value], ["MSETNX", Key, Value, Key, Value], ["GETRANGE", Key, "0", Number],
        ["SUBSTR", Key, Number, "-1"], ["SETRANGE", Key, Number, Value], ["RENAME", Key, Key], ["RENAMENX", Key, Key],
        ["COPY", Key, Key, "REPLACE"], ["KEYS", "fuzz:*"], ["KEYS", "*"], ["RANDOMKEY"], ["SETBIT", Key, Number, "1"],
        ["GETBIT", Key, Number], ["BITCOUNT", Key, "0", "-1", "BIT"], ["BITPOS", Key, "1", "0", Number],
        ["LCS", Key, Key, "LEN"], ["OBJECT", "ENCODING", Key], ["OBJECT", "FREQ", Key], ["DBSIZE"],
        ["SCAN", "0", "MATCH", "fuzz:*", "COUNT", Number], ["SCAN", Number, "TYPE", "string"], ["INFO"], ["INFO", "keyspace"],
        ["CLIENT", "ID"], ["CLIENT", "GETNAME"], ["CLIENT", "SETNAME", Value], ["CLIENT", "INFO"], ["CLIENT", "LIST"],
        ["CLIENT", "REPLY", "ON"], ["COMMAND", "COUNT"], ["COMMAND", "INFO", "GET"], ["COMMAND", "DOCS", "SET"],
        ["ACL", "WHOAMI"], ["ACL", "CAT"], ["NOSUCHCOMMAND", Key],
    ];

    /// <summary>Few enough that writes meet earlier writes (INCR on an appended string, RENAME onto a key
    /// with a TTL); one name is binary.</summary>
    public static readonly byte[][] Keys =
    [
        .. Enumerable.Range(0, 12).Select(i => System.Text.Encoding.ASCII.GetBytes($"fuzz:{i}")),
        "fuzz:\0\r\n\xff"u8.ToArray(),
        "fuzz:{x}"u8.ToArray(),
    ];

    /// <summary>Numbers that sit on the edges of what the commands parse.</summary>
    public static readonly string[] Numbers =
    [
        "0", "1", "-1", "7", "100", "86400", "1000000", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "1.5", "1e3", "0x10", "+5", "-0", "", " 1", "4294967296",
    ];
}
