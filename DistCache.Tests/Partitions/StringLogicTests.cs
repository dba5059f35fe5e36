using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Partitions;

/// <summary>The pure rules behind INCRBYFLOAT, GETRANGE/SETRANGE, EXPIRE's options and multi-key commands.</summary>
public class StringLogicTests
{
    [Theory]
    [InlineData("10.50", "0.1", "10.6")]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("5.0e3", "2.0e2", "5200")]
    [InlineData("3", "-3", "0")]
    [InlineData("-0.5", "0.25", "-0.25")]
    [InlineData("1", "1e-20", "1")]
    [InlineData("1e30", "1", "1000000000000000019884624838656")]
    [InlineData("0", "123456789.123456789", "123456789.123456789")]
    public void Incrbyfloat_sums_and_formats_like_redis(string current, string delta, string expected) =>
        Assert.Equal(expected, FloatValue.Add(current, delta));

    [Theory]
    [InlineData("inf", "1")]
    [InlineData("1.7e308", "1.7e308")]
    public void Incrbyfloat_refuses_an_infinite_result(string current, string delta) => Assert.Null(FloatValue.Add(current, delta));

    [Theory]
    [InlineData("1.5", true)]
    [InlineData("-inf", true)]
    [InlineData(".5", true)]
    [InlineData("nan", false)]
    [InlineData("NaN", false)]
    [InlineData(" 1", false)]
    [InlineData("1 ", false)]
    [InlineData("", false)]
    [InlineData("abc", false)]
    [InlineData("Infinity", true)]
    [InlineData("1,5", false)]
    public void Float_text_is_read_as_redis_reads_it(string text, bool valid) => Assert.Equal(valid, FloatValue.TryParse(text, out _));

    [Theory]
    [InlineData(0, 3, "This")]
    [InlineData(-3, -1, "ing")]
    [InlineData(0, -1, "This is a string")]
    [InlineData(10, 100, "string")]
    [InlineData(5, 3, "")]
    [InlineData(-100, 3, "This")]
    [InlineData(-1, -5, "")]
    [InlineData(100, 200, "")]
    public void Slice_clips_like_getrange(long start, long end, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(StringRange.Slice("This is a string"u8.ToArray(), start, end)));

    [Fact]
    public void Overwrite_pads_with_zero_bytes_and_never_shrinks()
    {
        Assert.Equal("Hello Redis", Encoding.UTF8.GetString(StringRange.Overwrite("Hello World"u8.ToArray(), 6, "Redis"u8.ToArray())));
        Assert.Equal("ab\0\0x", Encoding.UTF8.GetString(StringRange.Overwrite("ab"u8.ToArray(), 4, "x"u8.ToArray())));
        Assert.Equal("xbc", Encoding.UTF8.GetString(StringRange.Overwrite("abc"u8.ToArray(), 0, "x"u8.ToArray())));
    }

    [Theory]
    [InlineData(ExpireConditions.IfNoExpiry, 0, 10, true)]
    [InlineData(ExpireConditions.IfNoExpiry, 5, 10, false)]
    [InlineData(ExpireConditions.IfHasExpiry, 0, 10, false)]
    [InlineData(ExpireConditions.IfHasExpiry, 5, 10, true)]
    [InlineData(ExpireConditions.IfLater, 0, 10, false)]
    [InlineData(ExpireConditions.IfLater, 5, 10, true)]
    [InlineData(ExpireConditions.IfLater, 10, 10, false)]
    [InlineData(ExpireConditions.IfEarlier, 0, 10, true)]
    [InlineData(ExpireConditions.IfEarlier, 15, 10, true)]
    [InlineData(ExpireConditions.IfEarlier, 10, 10, false)]
    [InlineData(ExpireConditions.IfHasExpiry | ExpireConditions.IfEarlier, 0, 10, false)]
    [InlineData(ExpireConditions.None, 5, 1, true)]
    public void Expire_options_compare_with_no_expiry_as_infinite(ExpireConditions when, long current, long next, bool allowed) =>
        Assert.Equal(allowed, ExpiryRules.Allows(when, current, next));

    [Fact]
    public void Multi_key_commands_need_their_keys_in_one_partition()
    {
        const int partitions = 64;
        var a = "k0";
        var same = Enumerable.Range(1, 200_000).Select(i => $"k{i}").First(k => DistCache.Wire.KeySlot.Of(k) == DistCache.Wire.KeySlot.Of(a));
        var other = Enumerable.Range(1, 10_000).Select(i => $"k{i}").First(k => KeyHasher.PartitionOf(k, partitions) != KeyHasher.PartitionOf(a, partitions));
        var limits = PartitionLimits.Default;
        Assert.Null(CommandValidator.Validate(new RenameKey(a, same), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(new RenameKey(a, other), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(new CopyKey(a, other), limits, partitions));
        var value = new CacheValue(ValueKind.String, "v"u8.ToArray());
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot),
            CommandValidator.Validate(new MultiSetIfAbsent([new(a, value), new(same, value), new(other, value)]), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.InvalidKey), CommandValidator.Validate(new RenameKey(a, ""), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.InvalidArgument), CommandValidator.Validate(new MultiSetIfAbsent([]), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.NotAFloat), CommandValidator.Validate(new IncrementByFloat(a, "x"), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, long.MaxValue, limits.MaxValueBytes),
            CommandValidator.Validate(new SetRange(a, long.MaxValue, [1]), limits, partitions));
        Assert.Null(CommandValidator.Validate(new SetRange(a, long.MaxValue, []), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.InvalidArgument), CommandValidator.Validate(new SetRange(a, -1, [1]), limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.InvalidArgument), CommandValidator.Validate(new SetBit(a, -1, true), limits, partitions));
    }
}
