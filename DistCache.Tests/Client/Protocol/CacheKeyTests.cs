using System.Text;
using DistCache.Protocol;

namespace DistCache.Tests.Client.Protocol;

public class CacheKeyTests
{
    // The keys and their neighbours: invalid UTF-8, NUL, an overlong encoding of NUL (C0 80) and
    // of '/' (C0 AF), a lone continuation byte, and keys one byte apart. Decoded as UTF-8 text, the
    // invalid ones all became U+FFFD and so one key.
    public static readonly byte[][] Tricky =
    [
        [0xff], [0xfe], [0x00], [0xc0, 0x80], [0xc0, 0xaf], [0x2f], [0x80], [0xef, 0xbf, 0xbd],
        [(byte)'k', 0x00], [(byte)'k'], [(byte)'k', 0x00, 0x00], [0xff, 0xff], [0xff, 0xfe],
    ];

    [Fact]
    public void Distinct_byte_strings_are_distinct_keys_and_equal_ones_are_one()
    {
        var keys = Tricky.Select(b => new CacheKey(b)).ToArray();
        Assert.Equal(keys.Length, keys.ToHashSet().Count);
        Assert.Equal(keys.Length, keys.Select(k => k.ToString()).ToHashSet().Count);
        Assert.Equal(new CacheKey([0xff, 0x00]), CacheKey.Copy([0xff, 0x00]));
        Assert.Equal(new CacheKey([0xff, 0x00]).GetHashCode(), CacheKey.Copy([0xff, 0x00]).GetHashCode());
        Assert.True(new CacheKey([0xff]) != new CacheKey([0xfe]));
    }

    [Fact]
    public void A_key_converted_from_an_array_keeps_its_bytes_when_the_caller_reuses_the_array()
    {
        byte[] buffer = [0xff, 0x01];
        CacheKey key = buffer;
        buffer[0] = 0x00;
        Assert.Equal(new CacheKey([0xff, 0x01]), key);
    }

    [Fact]
    public void A_string_key_is_its_utf8_bytes_and_prints_as_itself()
    {
        CacheKey key = "ключ:😀";
        Assert.Equal(Encoding.UTF8.GetBytes("ключ:😀"), key.ToArray());
        Assert.Equal("ключ:😀", key.ToString());
        Assert.True(key.IsText);
        Assert.Equal(key, new CacheKey(Encoding.UTF8.GetBytes("ключ:😀")));
    }

    [Fact]
    public void A_key_that_is_not_utf8_prints_as_redis_escapes_it()
    {
        Assert.Equal("\"\\xff\"", new CacheKey([0xff]).ToString());
        Assert.Equal("\"a\\x00\\n\\\"\\\\\\xc0\\x80\"", new CacheKey([(byte)'a', 0, (byte)'\n', (byte)'"', (byte)'\\', 0xc0, 0x80]).ToString());
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_is_refused_rather_than_merged_with_others()
    {
        Assert.ThrowsAny<ArgumentException>(() => (CacheKey)"a\uD800");
        Assert.ThrowsAny<ArgumentException>(() => CacheKey.FromString("\uDC00"));
    }

    [Fact]
    public void A_null_string_or_array_is_the_null_key()
    {
        Assert.True(((CacheKey)(string?)null).IsNull);
        Assert.True(((CacheKey)(byte[]?)null).IsEmpty);
        Assert.True(default(CacheKey).IsEmpty);
        Assert.Equal(default, new CacheKey([]));
    }

    [Fact]
    public void Keys_order_by_their_bytes_as_redis_orders_them()
    {
        CacheKey[] keys = [new([0xff]), "b", new([0x00]), "a", "ab", "\uE000", "😀"];
        // UTF-16 ordinal order would put 😀 (a surrogate pair, D83D…) before U+E000; bytes put it after.
        Assert.Equal(["\0", "a", "ab", "b", "\uE000", "😀", "\"\\xff\""], keys.Order().Select(k => k.ToString()));
    }
}
