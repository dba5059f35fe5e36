using DistCache.Protocol;
using DistCache.Client;

namespace DistCache.Tests.Client;

public class ValueCodecTests
{
    public sealed record Address(string City, int Zip);

    public sealed record Person(string Name, int Age, List<string> Tags, Dictionary<string, int> Scores, Address Home, HashSet<long> Ids);

    private static T RoundTrip<T>(T value) => ValueCodec.Decode<T>(ValueCodec.Encode(value));

    [Fact]
    public void Scalars_round_trip_with_their_native_kind()
    {
        Assert.Equal("héllo", RoundTrip("héllo"));
        Assert.Equal(int.MinValue, RoundTrip(int.MinValue));
        Assert.Equal(long.MaxValue, RoundTrip(long.MaxValue));
        Assert.Equal(Math.PI, RoundTrip(Math.PI));
        Assert.True(RoundTrip(true));
        Assert.False(RoundTrip(false));
        Assert.Equal([0, 255, 7], RoundTrip(new byte[] { 0, 255, 7 }));
        Assert.Equal(ValueKind.Int64, ValueCodec.Encode(5L).Kind);
        Assert.Equal(ValueKind.Int32, ValueCodec.Encode(5).Kind);
    }

    [Fact]
    public void Collections_tuples_and_records_round_trip()
    {
        Assert.Equal([1, 2, 3], RoundTrip(new List<int> { 1, 2, 3 }));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b" }, RoundTrip(new Dictionary<string, string> { ["a"] = "b" }));
        Assert.Equal(new HashSet<string> { "x", "y" }, RoundTrip(new HashSet<string> { "x", "y" }));
        Assert.Equal((1, "two", 3.0), RoundTrip((1, "two", 3.0)));
        Assert.Equal(Tuple.Create(1, "a"), RoundTrip(Tuple.Create(1, "a")));

        var person = new Person("Ada", 36, ["math"], new() { ["chess"] = 3 }, new Address("London", 1), [1, 2]);
        var copy = RoundTrip(person);
        Assert.Equal(person.Name, copy.Name);
        Assert.Equal(person.Tags, copy.Tags);
        Assert.Equal(person.Scores, copy.Scores);
        Assert.Equal(person.Home, copy.Home);
        Assert.Equal(person.Ids, copy.Ids);
        Assert.Equal(ValueKind.Object, ValueCodec.Encode(person).Kind);
    }

    [Fact]
    public void Counters_read_as_int_long_or_string()
    {
        var counter = new CacheValue(ValueKind.Int64, BitConverter.GetBytes(42L));
        Assert.Equal(42, ValueCodec.Decode<int>(counter));
        Assert.Equal(42L, ValueCodec.Decode<long>(counter));
        Assert.Equal("42", ValueCodec.Decode<string>(counter));
    }

    [Fact]
    public void Reading_a_value_as_an_unrelated_type_is_a_typed_error()
    {
        var text = ValueCodec.Encode("not a number");
        Assert.Throws<ValueTypeMismatchException>(() => ValueCodec.Decode<long>(text));
        Assert.Throws<ValueTypeMismatchException>(() => ValueCodec.Decode<List<int>>(text));
    }

    [Fact]
    public void Null_values_are_refused() =>
        Assert.Throws<ArgumentNullException>(() => ValueCodec.Encode<string?>(null));
}
