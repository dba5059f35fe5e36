using System.Text;
using DistCache.Client;
using DistCache.Client.Collections;

namespace DistCache.Tests.Client;

public sealed class ElementCodecTests
{
    private sealed record Point(int X, string Label);

    [Fact]
    public void Values_are_written_as_a_redis_user_reads_them()
    {
        Assert.Equal("héllo", Encoding.UTF8.GetString(ElementCodec.Encode("héllo")));
        Assert.Equal("-42", Encoding.ASCII.GetString(ElementCodec.Encode(-42L)));
        Assert.Equal("7", Encoding.ASCII.GetString(ElementCodec.Encode(7)));
        Assert.Equal("0.1", Encoding.ASCII.GetString(ElementCodec.Encode(0.1)));
        Assert.Equal("inf", Encoding.ASCII.GetString(ElementCodec.Encode(double.PositiveInfinity)));
        Assert.Equal("-inf", Encoding.ASCII.GetString(ElementCodec.Encode(double.NegativeInfinity)));
        Assert.Equal("1", Encoding.ASCII.GetString(ElementCodec.Encode(true)));
        Assert.Equal([0, 255], ElementCodec.Encode(new byte[] { 0, 255 }));
        Assert.Equal("""{"X":1,"Label":"a"}""", Encoding.UTF8.GetString(ElementCodec.Encode(new Point(1, "a"))));
        Assert.Throws<ArgumentNullException>(() => ElementCodec.Encode<string?>(null));
    }

    [Fact]
    public void Every_supported_type_reads_back_what_it_wrote()
    {
        Assert.Equal("héllo", RoundTrip("héllo"));
        Assert.Equal(long.MinValue, RoundTrip(long.MinValue));
        Assert.Equal(int.MaxValue, RoundTrip(int.MaxValue));
        Assert.Equal(1.0 / 3, RoundTrip(1.0 / 3));
        Assert.Equal(double.NegativeInfinity, RoundTrip(double.NegativeInfinity));
        Assert.False(RoundTrip(false));
        Assert.Equal(new Point(3, "b"), RoundTrip(new Point(3, "b")));
        Assert.Equal(2.5, ElementCodec.Decode<double>("+2.5"u8.ToArray()));
        Assert.Equal(double.PositiveInfinity, ElementCodec.Decode<double>("+inf"u8.ToArray()));
    }

    [Fact]
    public void An_element_that_is_not_the_type_asked_for_is_a_typed_error()
    {
        Assert.Throws<ValueTypeMismatchException>(() => ElementCodec.Decode<long>("4.5"u8.ToArray()));
        Assert.Throws<ValueTypeMismatchException>(() => ElementCodec.Decode<int>("99999999999"u8.ToArray()));
        Assert.Throws<ValueTypeMismatchException>(() => ElementCodec.Decode<double>("nan"u8.ToArray()));
        Assert.Throws<ValueTypeMismatchException>(() => ElementCodec.Decode<bool>("yes"u8.ToArray()));
        Assert.Throws<ValueTypeMismatchException>(() => ElementCodec.Decode<Point>("not json"u8.ToArray()));
    }

    private static T RoundTrip<T>(T value) => ElementCodec.Decode<T>(ElementCodec.Encode(value));
}
