using System.Text;
using DistCache.Wire;

namespace DistCache.Tests.Partitions;

/// <summary>Redis Cluster's key to slot mapping, against the values Redis documents and computes.</summary>
public sealed class KeySlotTests
{
    [Fact]
    public void Crc16_is_the_xmodem_variant_redis_uses() =>
        Assert.Equal(0x31C3, KeySlot.Crc16("123456789"u8));

    [Theory]
    // CLUSTER KEYSLOT's documented examples and what redis-server 7.0 (cluster-enabled) answered for the rest.
    [InlineData("somekey", 11058)]
    [InlineData("foo{hash_tag}", 2515)]
    [InlineData("bar{hash_tag}", 2515)]
    [InlineData("foo", 12182)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("user1000", 3443)]
    // The tag is the first {...} that is not empty; an empty first one means the whole key.
    [InlineData("{}foo", 9500)]
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("foo{{bar}}zap", 4015)]
    [InlineData("foo{bar}{zap}", 5061)]
    [InlineData("", 0)]
    public void A_key_maps_to_its_redis_cluster_slot(string key, int slot) =>
        Assert.Equal(slot, KeySlot.Of(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Binary_keys_hash_their_bytes_and_every_slot_is_in_range()
    {
        Assert.Equal(7920, KeySlot.Of(new byte[] { 0xff }));
        Assert.Equal(1023, KeySlot.Of(new byte[] { 0xff, 0x00 }));
        var random = new Random(7);
        var key = new byte[12];
        for (var i = 0; i < 10_000; i++)
        {
            random.NextBytes(key);
            Assert.InRange(KeySlot.Of(key), 0, KeySlot.Count - 1);
        }
    }
}
