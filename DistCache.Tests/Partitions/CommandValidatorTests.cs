using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

public class CommandValidatorTests
{
    private static readonly PartitionLimits Limits = new(MaxKeyBytes: 16, MaxValueBytes: 32);

    private static CacheValue Text(string s) => new(ValueKind.String, System.Text.Encoding.UTF8.GetBytes(s));

    [Theory]
    [InlineData(null, CacheErrorCode.InvalidKey, 0)]
    [InlineData("", CacheErrorCode.InvalidKey, 0)]
    [InlineData("seventeen-bytes!!", CacheErrorCode.KeyTooLong, 17)]
    [InlineData("ééééééééé", CacheErrorCode.KeyTooLong, 18)] // 9 chars but 18 UTF-8 bytes
    public void Bad_keys_are_rejected_for_every_command_with_their_size(string? key, CacheErrorCode expected, long size)
    {
        foreach (IClientCommand command in new IClientCommand[]
                 {
                     new SetValue(key!, Text("v")), new GetValue(key!), new DeleteKey(key!), new KeyExists(key!), new IncrementBy(key!, 1),
                     new GetAndExpire(key!, Expiry.Keep), new MultiGet(["ok", key!]), new MultiSetPart(0, [new KeyedValue("c", Text("3")), new KeyedValue(key!, Text("4"))]),
                 })
        {
            var rejected = CommandValidator.Validate(command, Limits);
            Assert.NotNull(rejected);
            Assert.Equal(new Rejected(expected, size, expected == CacheErrorCode.KeyTooLong ? 16 : 0), rejected);
        }
    }

    [Fact]
    public void A_key_at_the_limit_and_short_keys_pass()
    {
        Assert.Null(CommandValidator.Validate(new SetValue("sixteen-bytes!!!", Text("v")), Limits));
        Assert.Null(CommandValidator.Validate(new GetValue("k"), Limits));
        Assert.Null(CommandValidator.Validate(new GetValue("éééééééé"), Limits)); // 16 bytes
    }

    [Fact]
    public void Values_over_the_limit_and_missing_values_are_rejected()
    {
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, 33, 32),
            CommandValidator.Validate(new SetValue("k", new CacheValue(ValueKind.Bytes, new byte[33])), Limits));
        Assert.Equal(new Rejected(CacheErrorCode.ValueTooLarge, 40, 32),
            CommandValidator.Validate(new CompareAndSet("k", new CacheValue(ValueKind.Bytes, new byte[40]), 1), Limits));
        Assert.Null(CommandValidator.Validate(new SetValue("k", new CacheValue(ValueKind.Bytes, new byte[32])), Limits));
        Assert.Equal(CacheErrorCode.InvalidArgument, CommandValidator.Validate(new SetValue("k", null!), Limits)?.Code);
        Assert.Equal(CacheErrorCode.InvalidArgument, CommandValidator.Validate(new AppendValue("k", null!), Limits)?.Code);
    }

    [Fact]
    public void Scan_counts_outside_the_range_are_rejected()
    {
        Assert.Equal(new Rejected(CacheErrorCode.InvalidScanCount, 0, CommandValidator.MaxScanCount),
            CommandValidator.Validate(new ScanPart(0, null, 0), Limits));
        Assert.Equal(CacheErrorCode.InvalidScanCount, CommandValidator.Validate(new ScanKeys("0", CommandValidator.MaxScanCount + 1), Limits)?.Code);
        Assert.Null(CommandValidator.Validate(new ScanKeys("0", 10), Limits));
        Assert.Equal(CacheErrorCode.UnknownCommand, CommandValidator.Validate(null!, Limits)?.Code);
    }
}
