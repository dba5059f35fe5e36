using System.Text;
using DistCache.Client;
using DistCache.Host.Resp;
using DistCache.Protocol;

namespace DistCache.Tests.Resp;

/// <summary>The string, key and expiry commands added for Redis 7 parity, mapped without a cluster: options,
/// arity and Redis's error texts.</summary>
public sealed class RespKeyspaceCommandsTests
{
    private readonly RespCommands _commands =
        new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 3, TimeSpan.FromSeconds(9)));

    private readonly RespSession _session = new(7);

    private RespPlan Map(params string[] words) => _commands.Map(RespArgs.Of(words), _session);

    private string ErrorOf(params string[] words) => Assert.IsType<RespError>(Assert.IsType<Immediate>(Map(words)).Reply).Message;

    private TCommand Single<TCommand>(params string[] words) => Assert.IsType<TCommand>(Assert.Single(Assert.IsType<ClusterCall>(Map(words)).Commands));

    [Fact]
    public void Expire_maps_nx_xx_gt_lt_in_any_case_and_combination_redis_allows()
    {
        Assert.Equal(new ExpireKey("k", new Expiry(ExpiryKind.After, 10_000), ExpireConditions.IfNoExpiry), Single<ExpireKey>("EXPIRE", "k", "10", "nx"));
        Assert.Equal(ExpireConditions.IfHasExpiry | ExpireConditions.IfLater, Single<ExpireKey>("PEXPIRE", "k", "10", "XX", "GT").When);
        Assert.Equal(ExpireConditions.IfHasExpiry | ExpireConditions.IfEarlier, Single<ExpireKey>("EXPIREAT", "k", "10", "LT", "XX").When);
        Assert.Equal(ExpireConditions.IfLater, Single<ExpireKey>("PEXPIREAT", "k", "10", "GT", "GT").When);
        Assert.Equal(new Expiry(ExpiryKind.At, 10), Single<ExpireKey>("PEXPIREAT", "k", "10", "GT").Expiry);
    }

    [Fact]
    public void Expire_options_that_exclude_each_other_get_redis_errors_before_the_time_is_read()
    {
        const string nx = "ERR NX and XX, GT or LT options at the same time are not compatible";
        Assert.Equal(nx, ErrorOf("EXPIRE", "k", "10", "NX", "XX"));
        Assert.Equal(nx, ErrorOf("EXPIRE", "k", "10", "GT", "NX"));
        Assert.Equal(nx, ErrorOf("PEXPIRE", "k", "x", "NX", "LT"));
        Assert.Equal(nx, ErrorOf("EXPIRE", "k", "10", "NX", "GT", "LT"));
        Assert.Equal("ERR GT and LT options at the same time are not compatible", ErrorOf("EXPIRE", "k", "10", "GT", "LT"));
        Assert.Equal("ERR Unsupported option foo", ErrorOf("EXPIRE", "k", "x", "foo"));
        Assert.Equal("ERR value is not an integer or out of range", ErrorOf("EXPIRE", "k", "x", "NX"));
        Assert.Equal("ERR invalid expire time in 'expire' command", ErrorOf("EXPIRE", "k", "9223372036854775807"));
        Assert.Equal("ERR wrong number of arguments for 'pexpire' command", ErrorOf("PEXPIRE", "k"));
    }

    [Fact]
    public void Expiretime_touch_and_ranges_map_to_their_commands()
    {
        Assert.Equal(new ExpireTime("k"), Single<ExpireTime>("EXPIRETIME", "k"));
        Assert.Equal(new ExpireTime("k"), Single<ExpireTime>("PEXPIRETIME", "k"));
        Assert.Equal("ERR wrong number of arguments for 'expiretime' command", ErrorOf("EXPIRETIME", "k", "x"));
        var touch = Assert.IsType<ClusterCall>(Map("TOUCH", "a", "b", "c"));
        Assert.Equal([new TouchKey("a"), new TouchKey("b"), new TouchKey("c")], touch.Commands);
        Assert.Equal(new RespInteger(2), touch.Answer([new Existence(true), new Existence(false), new Existence(true)]));
        Assert.Equal("ERR wrong number of arguments for 'touch' command", ErrorOf("TOUCH"));
        Assert.Equal(new GetRange("k", 0, -1), Single<GetRange>("GETRANGE", "k", "0", "-1"));
        Assert.Equal(new GetRange("k", 1, 2), Single<GetRange>("SUBSTR", "k", "1", "2"));
        Assert.Equal("ERR value is not an integer or out of range", ErrorOf("GETRANGE", "k", "a", "1"));
        Assert.Equal("ERR wrong number of arguments for 'substr' command", ErrorOf("SUBSTR", "k", "1"));
    }

    [Fact]
    public void Expiretime_answers_seconds_and_pexpiretime_milliseconds()
    {
        var seconds = Assert.IsType<ClusterCall>(Map("EXPIRETIME", "k"));
        Assert.Equal(new RespInteger(1_700_000_000), seconds.Answer([new CounterValue(1_700_000_000_999)]));
        Assert.Equal(new RespInteger(-2), seconds.Answer([new CounterValue(-2)]));
        var ms = Assert.IsType<ClusterCall>(Map("PEXPIRETIME", "k"));
        Assert.Equal(new RespInteger(1_700_000_000_999), ms.Answer([new CounterValue(1_700_000_000_999)]));
        Assert.Equal(new RespInteger(-1), ms.Answer([new CounterValue(-1)]));
    }

    [Fact]
    public void Setrange_and_incrbyfloat_check_their_arguments_as_redis_does()
    {
        var setRange = Single<SetRange>("SETRANGE", "k", "6", "Redis");
        Assert.Equal(("k", 6L, "Redis"), (setRange.Key, setRange.Offset, Encoding.UTF8.GetString(setRange.Data)));
        Assert.Equal("ERR offset is out of range", ErrorOf("SETRANGE", "k", "-1", "x"));
        Assert.Equal("ERR string exceeds maximum allowed size (proto-max-bulk-len)", ErrorOf("SETRANGE", "k", "536870912", "x"));
        Assert.Equal(536870912L, Single<SetRange>("SETRANGE", "k", "536870912", "").Offset);
        Assert.Equal("ERR value is not an integer or out of range", ErrorOf("SETRANGE", "k", "x", "v"));
        Assert.Equal(new IncrementByFloat("k", "0.1"), Single<IncrementByFloat>("INCRBYFLOAT", "k", "0.1"));
        Assert.Equal("ERR value is not a valid float", ErrorOf("INCRBYFLOAT", "k", "abc"));
        Assert.Equal("ERR value is not a valid float", ErrorOf("INCRBYFLOAT", "k", "nan"));
        Assert.Equal("ERR wrong number of arguments for 'incrbyfloat' command", ErrorOf("INCRBYFLOAT", "k"));
    }

    [Fact]
    public void Msetnx_rename_and_copy_map_with_redis_errors()
    {
        var msetnx = Single<MultiSetIfAbsent>("MSETNX", "a", "1", "b", "2");
        Assert.Equal(["a", "b"], msetnx.Entries.Select(e => e.Key));
        Assert.Equal("ERR wrong number of arguments for 'msetnx' command", ErrorOf("MSETNX", "a", "1", "b"));
        Assert.Equal(new RenameKey("a", "b"), Single<RenameKey>("RENAME", "a", "b"));
        Assert.Equal(new RenameKey("a", "b", true), Single<RenameKey>("RENAMENX", "a", "b"));
        Assert.Equal("ERR wrong number of arguments for 'renamenx' command", ErrorOf("RENAMENX", "a"));
        Assert.Equal(new CopyKey("a", "b", true), Single<CopyKey>("COPY", "a", "b", "DB", "0", "REPLACE"));
        Assert.Equal(new CopyKey("a", "b"), Single<CopyKey>("COPY", "a", "b"));
        Assert.Equal("ERR DB index is out of range", ErrorOf("COPY", "a", "b", "DB", "1"));
        Assert.Equal("ERR syntax error", ErrorOf("COPY", "a", "b", "FOO"));
        Assert.Equal("ERR source and destination objects are the same", ErrorOf("COPY", "a", "a"));
    }

    [Fact]
    public void Lcs_matches_redis_documented_example()
    {
        var lcs = LongestCommonSubsequence.Of("ohmytext"u8.ToArray(), "mynewtext"u8.ToArray());
        Assert.Equal("mytext", Encoding.UTF8.GetString(lcs.Text));
        Assert.Equal(6, lcs.Length);
        Assert.Equal([new(4, 7, 5, 8), new(2, 3, 0, 1)], lcs.Matches);
        Assert.Empty(LongestCommonSubsequence.Of([], "abc"u8.ToArray()).Text);
        Assert.Equal("ace", Encoding.UTF8.GetString(LongestCommonSubsequence.Of("abcde"u8.ToArray(), "ace"u8.ToArray()).Text));
    }

    [Fact]
    public async Task Lcs_answers_text_len_or_idx_with_redis_errors()
    {
        Found F(string s) => new(new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes(s)));
        // LCS reads its two keys one after the other, then computes off the caller's thread.
        Task<RespValue> Lcs(ICacheReply a, ICacheReply b, params string[] options) =>
            Assert.IsType<ClusterSteps>(Map(["LCS", "a", "b", .. options])).Run(command =>
                Task.FromResult(((GetValue)command).Key == "a" ? a : b));
        var (text, other) = (F("ohmytext"), F("mynewtext"));
        Assert.Equal("mytext", Encoding.UTF8.GetString(Assert.IsType<RespBulk>(await Lcs(text, other)).Data));
        Assert.Equal(new RespInteger(6), await Lcs(text, other, "LEN"));
        var idx = Assert.IsType<RespMap>(await Lcs(text, other, "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        var match = Assert.IsType<RespArray>(Assert.Single(Assert.IsType<RespArray>(idx.Entries[0].Value).Items));
        Assert.Equal(new RespInteger(4), match.Items[2]);
        Assert.Equal(new RespInteger(6), idx.Entries[1].Value);
        Assert.Equal(new RespInteger(0), await Lcs(new Found(null), F("x"), "LEN"));
        // 12,000 × 12,000 bytes need a 576 MB table: over proto-max-bulk-len as CONFIG GET reports it (512 MiB
        // in this mapping's default; a node's is its distcache.max-value-bytes, 16 MiB by default).
        var big = F(new string('x', 12_000));
        Assert.Equal(RespValue.Error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"), await Lcs(big, big, "LEN"));
        Assert.Equal(new RespInteger(2000), await Lcs(F(new string('x', 2000)), F(new string('x', 2000)), "LEN"));
        Assert.Equal("ERR If you want both the length and indexes, please just use IDX.", ErrorOf("LCS", "a", "b", "LEN", "IDX"));
        Assert.Equal("ERR syntax error", ErrorOf("LCS", "a", "b", "FOO"));
        Assert.Equal("ERR wrong number of arguments for 'lcs' command", ErrorOf("LCS", "a"));
    }

    [Theory]
    [InlineData("12345", "int")]
    [InlineData("-7", "int")]
    [InlineData("01", "embstr")]
    [InlineData(" 1", "embstr")]
    [InlineData("99999999999999999999", "embstr")]
    [InlineData("hello", "embstr")]
    [InlineData("12345678901234567890123456789012345678901234", "embstr")]
    [InlineData("123456789012345678901234567890123456789012345", "raw")]
    public void Object_encoding_is_what_redis_would_choose(string value, string encoding) =>
        Assert.Equal(encoding, RespKeyCommands.EncodingOf(new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes(value))));

    [Fact]
    public void Object_subcommands_answer_as_redis()
    {
        Assert.Equal("ERR unknown subcommand 'FOO'. Try OBJECT HELP.", ErrorOf("OBJECT", "FOO"));
        Assert.Equal("ERR wrong number of arguments for 'object|encoding' command", ErrorOf("OBJECT", "ENCODING"));
        Assert.Equal("ERR wrong number of arguments for 'object' command", ErrorOf("OBJECT"));
        Assert.Equal(15, Assert.IsType<RespArray>(Assert.IsType<Immediate>(Map("OBJECT", "HELP")).Reply).Items.Count);
        var encoding = Assert.IsType<ClusterCall>(Map("OBJECT", "ENCODING", "k"));
        // The key's description, so OBJECT answers for a key of any type.
        Assert.Equal(new DescribeKey("k"), Assert.Single(encoding.Commands));
        Assert.Equal(RespValue.Null, encoding.Answer([new KeyDescription("none", null)]));
        Assert.Equal("listpack"u8.ToArray(), Assert.IsType<RespBulk>(encoding.Answer([new KeyDescription("hash", "listpack")])).Data);
        Assert.StartsWith("ERR An LFU maxmemory policy is not selected",
            Assert.IsType<RespError>(Assert.IsType<ClusterCall>(Map("OBJECT", "FREQ", "k")).Answer([new KeyDescription("string", "int")])).Message);
    }

    [Fact]
    public void New_errors_read_as_redis_words_them()
    {
        Assert.Equal(RespValue.Error("ERR value is not a valid float"), RespCommands.ErrorFor(new Rejected(CacheErrorCode.NotAFloat)));
        Assert.Equal(RespValue.Error("ERR increment would produce NaN or Infinity"), RespCommands.ErrorFor(new Rejected(CacheErrorCode.FloatOverflow)));
        Assert.Equal(RespValue.Error("ERR no such key"), RespCommands.ErrorFor(new Rejected(CacheErrorCode.NoSuchKey)));
        Assert.Equal(RespValue.Error("CROSSSLOT Keys in request don't hash to the same slot"),
            RespCommands.ErrorFor(new Rejected(CacheErrorCode.CrossSlot)));
    }
}
