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
    public void A_blocking_call_is_checked_as_a_command_on_several_keys_in_one_slot()
    {
        const int partitions = 16;
        BlockingCall Call(CacheKey[] keys, IClientCommand attempt, long waitMs = 1000) => new(attempt, keys, waitMs);
        string InPartition(int p, int skip = 0) => Enumerable.Range(0, 10_000).Select(i => $"b{i}").Where(k => DistCache.Wire.KeyHasher.PartitionOf(k, partitions) == p).Skip(skip).First();
        string a = "{t}a", b = "{t}b", elsewhere = InPartition((DistCache.Wire.KeyHasher.PartitionOf(a, partitions) + 1) % partitions);
        // Same partition, another slot: refused too, as Redis Cluster decides by slot.
        var sameSpot = InPartition(DistCache.Wire.KeyHasher.PartitionOf(a, partitions));
        Assert.NotEqual(DistCache.Wire.KeySlot.Of(a), DistCache.Wire.KeySlot.Of(sameSpot));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(Call([a, sameSpot], new GetAndDelete(a)), Limits, partitions));

        Assert.Null(CommandValidator.Validate(Call([a, b], new GetAndDelete(a)), Limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(Call([a, elsewhere], new GetAndDelete(a)), Limits, partitions));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot), CommandValidator.Validate(Call([a], new GetAndDelete(elsewhere)), Limits, partitions));
        Assert.Equal(CacheErrorCode.KeyTooLong, CommandValidator.Validate(Call([a, "seventeen-bytes!!"], new GetAndDelete(a)), Limits, partitions)!.Code);
        Assert.Equal(CacheErrorCode.InvalidArgument, CommandValidator.Validate(Call([], new GetAndDelete(a)), Limits, partitions)!.Code);
        Assert.Equal(CacheErrorCode.InvalidArgument, CommandValidator.Validate(Call([a], new GetAndDelete(a), -1), Limits, partitions)!.Code);
        Assert.Equal(CacheErrorCode.InvalidArgument, CommandValidator.Validate(Call([a], new GetAndDelete(a), BlockingCall.MaxWaitMs + 1), Limits, partitions)!.Code);
        Assert.Equal(CacheErrorCode.InvalidArgument, CommandValidator.Validate(Call([a], Call([a], new GetAndDelete(a))), Limits, partitions)!.Code);
        // What it attempts is checked as if sent alone.
        Assert.Equal(CacheErrorCode.ValueTooLarge, CommandValidator.Validate(Call([a], new SetValue(a, Text(new string('v', 33)))), Limits, partitions)!.Code);
        // A blocking call waits its wait on top of the request timeout.
        Assert.Equal(TimeSpan.FromSeconds(6.5), BlockingCall.AllowedTime(Call([a], new GetAndDelete(a), 1500), TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), BlockingCall.AllowedTime(new GetValue(a), TimeSpan.FromSeconds(5)));
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
