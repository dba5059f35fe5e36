using System.Text;
using DistCache.Client;
using DistCache.Tests.Support;
using DistCache.Wire;

namespace DistCache.Tests.Client;

/// <summary>The .NET client's SETBIT, GETBIT, BITCOUNT, BITPOS and LCS against a real node, with the
/// answers of Redis's own documentation examples.</summary>
[Collection(NodeCollection.Name)]
public sealed class BitCommandsClientTests(NodeFixture fixture)
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8] + ":";

    private string K(string name) => _prefix + name;

    [Fact]
    public async Task Setbit_and_getbit_grow_the_string_and_return_the_old_bit()
    {
        await using var client = fixture.Connect();
        Assert.False(await client.SetBitAsync(K("b"), 7, true));
        Assert.True(await client.SetBitAsync(K("b"), 7, true));
        Assert.False(await client.GetBitAsync(K("b"), 0));
        Assert.True(await client.GetBitAsync(K("b"), 7));
        Assert.False(await client.GetBitAsync(K("b"), 100));
        Assert.False(await client.GetBitAsync(K("missing"), 3));
        Assert.False(await client.SetBitAsync(K("b"), 15, true));
        Assert.Equal(new byte[] { 0x01, 0x01 }, await client.GetAsync<byte[]>(K("b")));
        Assert.True(await client.SetBitAsync(K("b"), 7, false));
        Assert.Equal(new byte[] { 0x00, 0x01 }, await client.GetAsync<byte[]>(K("b")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SetBitAsync(K("b"), -1, true));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetBitAsync(K("b"), 1L << 32));
    }

    [Fact]
    public async Task Bitcount_counts_bytes_or_bits_ranges_as_redis_does()
    {
        await using var client = fixture.Connect();
        await client.SetAsync(K("s"), "foobar");
        Assert.Equal(26, await client.BitCountAsync(K("s")));
        Assert.Equal(4, await client.BitCountAsync(K("s"), 0, 0));
        Assert.Equal(6, await client.BitCountAsync(K("s"), 1, 1, BitUnit.Byte));
        Assert.Equal(17, await client.BitCountAsync(K("s"), 5, 30, BitUnit.Bit));
        Assert.Equal(26, await client.BitCountAsync(K("s"), 0, -1));
        Assert.Equal(0, await client.BitCountAsync(K("missing")));
        // A number a .NET client stored is its digits to Redis commands: "10" is 0x31 0x30, 3 + 2 bits.
        await client.SetAsync(K("n"), 10L);
        Assert.Equal(5, await client.BitCountAsync(K("n")));
    }

    [Fact]
    public async Task Bitpos_finds_the_first_bit_in_byte_or_bit_ranges()
    {
        await using var client = fixture.Connect();
        await client.SetAsync(K("p"), new byte[] { 0xff, 0xf0, 0x00 });
        Assert.Equal(12, await client.BitPositionAsync(K("p"), false));
        await client.SetAsync(K("p"), new byte[] { 0x00, 0xff, 0xf0 });
        Assert.Equal(8, await client.BitPositionAsync(K("p"), true, 0));
        Assert.Equal(16, await client.BitPositionAsync(K("p"), true, 2));
        Assert.Equal(16, await client.BitPositionAsync(K("p"), true, 2, -1, BitUnit.Byte));
        Assert.Equal(8, await client.BitPositionAsync(K("p"), true, 7, 15, BitUnit.Bit));
        await client.SetAsync(K("p"), new byte[] { 0x00, 0x00, 0x00 });
        Assert.Equal(-1, await client.BitPositionAsync(K("p"), true));
        Assert.Equal(-1, await client.BitPositionAsync(K("p"), true, 7, -3, BitUnit.Bit));
        // All ones without an end: the string counts as followed by zeros.
        await client.SetAsync(K("p"), new byte[] { 0xff });
        Assert.Equal(8, await client.BitPositionAsync(K("p"), false));
        Assert.Equal(-1, await client.BitPositionAsync(K("p"), false, 0, -1));
        Assert.Equal(-1, await client.BitPositionAsync(K("missing"), true));
        Assert.Equal(0, await client.BitPositionAsync(K("missing"), false));
        await Assert.ThrowsAsync<ArgumentException>(() => client.BitPositionAsync(K("p"), true, null, 3));
    }

    [Fact]
    public async Task Lcs_reads_keys_of_any_partitions_and_gives_text_length_and_ranges()
    {
        await using var client = fixture.Connect();
        var partitions = fixture.Node.Settings.Partitions;
        var a = K("lcs-a");
        var b = Enumerable.Range(0, 100_000).Select(i => K($"lcs-b{i}")).First(k => KeyHasher.PartitionOf(k, partitions) != KeyHasher.PartitionOf(a, partitions));
        await client.SetAsync(a, "ohmytext");
        await client.SetAsync(b, "mynewtext");
        var lcs = await client.LongestCommonSubsequenceAsync(a, b);
        Assert.Equal("mytext", Encoding.UTF8.GetString(lcs.Text));
        Assert.Equal(6, lcs.Length);
        Assert.Equal([new LongestCommonSubsequence.Match(4, 7, 5, 8), new LongestCommonSubsequence.Match(2, 3, 0, 1)], lcs.Matches);
        var empty = await client.LongestCommonSubsequenceAsync(a, K("missing"));
        Assert.Equal(0, empty.Length);
        Assert.Empty(empty.Matches);
    }
}
