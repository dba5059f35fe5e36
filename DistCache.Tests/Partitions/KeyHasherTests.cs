using DistCache.Wire;
using System.Text;

namespace DistCache.Tests.Partitions;

public class KeyHasherTests
{
    [Fact]
    public void Hash_is_the_published_FNV1a_64_value()
    {
        // Reference values of FNV-1a 64: a fixed function, so every process and machine agrees.
        Assert.Equal(0xcbf29ce484222325UL, KeyHasher.Hash(""u8));
        Assert.Equal(0xaf63dc4c8601ec8cUL, KeyHasher.Hash("a"u8));
        Assert.Equal(0x85944171f73967e8UL, KeyHasher.Hash("foobar"u8));
    }

    [Fact]
    public void Partition_of_long_and_non_ascii_keys_matches_the_hash_of_their_utf8_bytes()
    {
        var key = new string('ж', 700);
        Assert.Equal((int)(KeyHasher.Hash(Encoding.UTF8.GetBytes(key)) % 256), KeyHasher.PartitionOf(key, 256));
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

/// <summary>Keys became byte strings; a string key must still land where it did (its partition is recorded
/// implicitly by where its data is).</summary>
public class KeyHasherPlacementTests
{
    [Theory]
    // Computed with an independent FNV-1a 64 over the UTF-8 bytes, as PartitionOf(string) did before.
    [InlineData("user:1", 235)]
    [InlineData("ключ", 129)]
    [InlineData("😀k", 185)]
    [InlineData("key:000000000042", 160)]
    public void A_string_key_keeps_the_partition_it_had(string key, int partition) =>
        Assert.Equal(partition, KeyHasher.PartitionOf(key, 256));

    [Fact]
    public void Binary_keys_hash_their_bytes()
    {
        Assert.Equal((int)(KeyHasher.Hash([0xff]) % 256), KeyHasher.PartitionOf(new DistCache.Protocol.CacheKey([0xff]), 256));
        Assert.NotEqual(KeyHasher.Hash([0xff]), KeyHasher.Hash([0xfe]));
    }
}
