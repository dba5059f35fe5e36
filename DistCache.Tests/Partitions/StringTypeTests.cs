using System.Buffers.Binary;
using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>The string type as the partition sees it: every tag a client stores is a string, which ones
/// text commands may edit, and the stored layout of a string value.</summary>
public class StringTypeTests
{
    private static CacheEntry Entry(ValueKind kind, byte[] data) => new() { Kind = kind, Data = data };

    [Theory]
    [InlineData(ValueKind.Bytes)]
    [InlineData(ValueKind.String)]
    [InlineData(ValueKind.Int64)]
    [InlineData(ValueKind.Double)]
    [InlineData(ValueKind.Object)]
    public void Every_value_kind_is_a_string_so_no_string_command_meets_another_type(ValueKind kind)
    {
        var entry = Entry(kind, new byte[8]);
        Assert.Same(StringType.Instance, entry.Type);
        Assert.Equal("string", entry.Type.Name);
        Assert.False(StringType.Instance.Conflicts(entry));
        Assert.False(StringType.Instance.Conflicts(null));
    }

    [Fact]
    public void Text_commands_edit_strings_bytes_and_integers_but_not_a_binary_double_or_boolean()
    {
        var number = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, -42);

        Assert.True(StringType.TryEditableText(Entry(ValueKind.Int64, number), out var digits, out var kind));
        Assert.Equal(("-42", ValueKind.String), (Encoding.UTF8.GetString(digits), kind));
        Assert.True(StringType.TryEditableText(Entry(ValueKind.Bytes, [0xff]), out var bytes, out kind));
        Assert.Equal([(byte)0xff], bytes);
        Assert.Equal(ValueKind.Bytes, kind);
        Assert.False(StringType.TryEditableText(Entry(ValueKind.Double, new byte[8]), out _, out _));
        Assert.False(StringType.TryEditableText(Entry(ValueKind.Boolean, [1]), out _, out _));
    }

    [Fact]
    public void A_string_is_stored_as_its_tag_its_byte_count_and_its_bytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            StringType.Write(writer, new CacheValue(ValueKind.String, "hi"u8.ToArray()));
        Assert.Equal("01020000006869", Convert.ToHexString(stream.ToArray()));

        stream.Position = 0;
        var read = StringType.Read(new BinaryReader(stream));
        Assert.Equal((ValueKind.String, "hi"), (read.Kind, Encoding.UTF8.GetString(read.Data)));
    }

    [Fact]
    public void A_copy_has_bytes_of_its_own_and_the_source_expiry()
    {
        var source = Entry(ValueKind.String, "v"u8.ToArray());
        source.ExpiresAt = 123;
        var copy = Assert.IsType<EntrySet>(source.Type.CopyTo("to", source));
        Assert.Equal(("to", 123L), (copy.Key.ToString(), copy.ExpiresAt));
        Assert.NotSame(source.Data, copy.Value.Data);
        Assert.Equal(source.Data, copy.Value.Data);
    }
}
