using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Tests.Partitions;

public class KeyHasherTests
{
    [Theory]
    // Slots from redis-server 7's CLUSTER KEYSLOT (see KeySlotTests); 256 partitions own 64 slots each.
    [InlineData("foo", 12182, 190)]
    [InlineData("{user42}:cart", 14710, 229)]
    [InlineData("{user42}:profile", 14710, 229)]
    public void A_key_lives_in_the_partition_owning_its_slot(string key, int slot, int partition)
    {
        Assert.Equal(slot, KeySlot.Of((CacheKey)key));
        Assert.Equal(partition, KeyHasher.PartitionOf(key, 256));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(16384)]
    public void Each_partition_owns_one_contiguous_range_and_every_slot_has_one_owner(int partitions)
    {
        var next = 0;
        for (var p = 0; p < partitions; p++)
        {
            var first = KeySlot.FirstSlotOf(p, partitions);
            var last = KeySlot.LastSlotOf(p, partitions);
            Assert.Equal(next, first);
            Assert.True(last >= first, $"partition {p} of {partitions} owns no slot");
            Assert.Equal(p, KeySlot.PartitionOf(first, partitions));
            Assert.Equal(p, KeySlot.PartitionOf(last, partitions));
            next = last + 1;
        }
        Assert.Equal(KeySlot.Count, next);
    }

    [Fact]
    public void Keys_spread_over_all_partitions()
    {
        var counts = new int[64];
        for (var i = 0; i < 64_000; i++)
            counts[KeyHasher.PartitionOf("user:" + i, 64)]++;
        Assert.All(counts, c => Assert.InRange(c, 700, 1300));
    }
}
