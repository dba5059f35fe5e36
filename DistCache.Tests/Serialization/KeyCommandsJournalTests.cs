using System.Text;
using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Serialization;
using DistCache.Protocol;
using DistCache.Tests.Partitions;
using DistCache.Tests.Support;

namespace DistCache.Tests.Serialization;

/// <summary>The new string and key commands journal with the existing stored format: every event they
/// produce goes through StoredDataSerializer and recovers to the same keys, values, expiries and retry
/// answers.</summary>
public sealed class KeyCommandsJournalTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void Every_new_write_round_trips_through_the_stored_format_and_recovers()
    {
        var clock = new ManualClock();
        var p = new PartitionTestHarness(() => new PartitionState(PartitionLimits.Default, clock: clock));
        var text = (string s) => new CacheValue(ValueKind.String, Encoding.UTF8.GetBytes(s));
        var retried = Guid.NewGuid();
        p.Run(new SetValue("s", text("Hello World"), Expiry.After(TimeSpan.FromHours(1))));
        p.Run(new SetRange("s", 6, "Redis"u8.ToArray()));
        p.Run(new IncrementByFloat("f", "10.5"), retried);
        p.Run(new MultiSetIfAbsent([new("m1", text("1")), new("m2", text("2"))]));
        p.Run(new RenameKey("m1", "r1"));
        p.Run(new CopyKey("s", "c"));
        p.Run(new SetBit("b", 9, true));
        p.Run(new ExpireKey("r1", Expiry.After(TimeSpan.FromMinutes(5)), ExpireConditions.IfNoExpiry));

        var serializer = new StoredDataSerializer((ExtendedActorSystem)Sys);
        var recovered = new PartitionState(PartitionLimits.Default, clock: clock);
        foreach (var evt in p.Journal)
            recovered.Apply((ICacheEvent)serializer.FromBinary(serializer.ToBinary(evt), serializer.Manifest(evt)));

        foreach (var key in new[] { "s", "f", "m2", "r1", "c", "b", "m1" })
        {
            Assert.Equal(p.State.Decide(new GetValue(key)).Reply, recovered.Decide(new GetValue(key)).Reply, FoundComparer.Instance);
            Assert.Equal(p.State.Decide(new ExpireTime(key)).Reply, recovered.Decide(new ExpireTime(key)).Reply);
        }
        // A retry of the INCRBYFLOAT after recovery gets its first answer, and adds nothing.
        Assert.Equal("10.5", PartitionTestHarness.TextOf(recovered.Decide(new IncrementByFloat("f", "10.5"), retried).Reply));
    }

    private sealed class FoundComparer : IEqualityComparer<ICacheReply>
    {
        public static readonly FoundComparer Instance = new();

        public bool Equals(ICacheReply? x, ICacheReply? y) =>
            x is Found fx && y is Found fy && fx.Value?.Kind == fy.Value?.Kind && (fx.Value?.Data ?? []).SequenceEqual(fy.Value?.Data ?? []);

        public int GetHashCode(ICacheReply obj) => 0;
    }
}
