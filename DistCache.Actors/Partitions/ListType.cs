using System.Runtime.Serialization;
using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>Redis's list type: a key holding a sequence of elements (<see cref="ListValue"/>). Its commands
/// are <see cref="ListCommands"/>; its journal events carry what a write changed (<see cref="ListPushed"/>,
/// <see cref="ListTrimmed"/>, <see cref="ListEdited"/>), never the whole list, except COPY and RENAME
/// (<see cref="ListReplaced"/>, once).</summary>
public sealed class ListType : DataType
{
    public static readonly ListType Instance = new();

    /// <summary>The stored-format tag a list takes where a string writes its <see cref="ValueKind"/> (0-6).</summary>
    public const byte StoredTag = 65;

    private ListType()
    {
    }

    public override string Name => "list";

    public override long PayloadBytes(in CacheEntry entry) => entry.List!.PayloadBytes;

    public override EntryChange CopyTo(CacheKey key, in CacheEntry source) => new ListReplaced(key, source.List!.ToArray(), source.ExpiresAt);

    public override string EncodingOf(in CacheEntry entry) => entry.List!.IsQuicklist ? "quicklist" : "listpack";

    /// <summary>Applies <see cref="ListPushed"/> in place. A missing key becomes a new list without expiry.</summary>
    public static void Apply(EntryTable table, ListPushed pushed)
    {
        ref var entry = ref table.BeginEdit(pushed.Key);
        if (entry.List is null)
            entry.List = new ListValue();
        var list = entry.List!;
        foreach (var element in pushed.Elements)
        {
            if (pushed.Left)
                list.PushLeft(element);
            else
                list.PushRight(element);
        }
        table.EndEdit(pushed.Key, ref entry);
    }

    /// <summary>Applies <see cref="ListTrimmed"/> in place; nothing happens to a key that holds no list.</summary>
    public static void Apply(EntryTable table, ListTrimmed trimmed)
    {
        if (!table.Entries.TryGetValue(trimmed.Key, out var found) || found.List is not { } list)
            return;
        ref var entry = ref table.BeginEdit(trimmed.Key);
        var left = (int)Math.Min(trimmed.FromLeft, list.Count);
        list.Trim(left, (int)Math.Min(trimmed.FromRight, list.Count - left));
        table.EndEdit(trimmed.Key, ref entry);
        // Redis never keeps an empty list; the decision journals a removal instead, this only guards.
        if (list.Count == 0)
            table.Remove(trimmed.Key);
    }

    /// <summary>Applies <see cref="ListEdited"/> in place at the positions the decision found.</summary>
    public static void Apply(EntryTable table, ListEdited edited)
    {
        if (!table.Entries.TryGetValue(edited.Key, out var found) || found.List is not { } list)
            return;
        ref var entry = ref table.BeginEdit(edited.Key);
        switch (edited.Kind)
        {
            case ListEditKind.Set when edited.Indexes is [var at] && at < list.Count:
                list[(int)at] = edited.Element!;
                break;
            case ListEditKind.Insert when edited.Indexes is [var at] && at <= list.Count:
                list.Insert((int)at, edited.Element!);
                break;
            case ListEditKind.Remove:
                list.RemoveAt(edited.Indexes);
                break;
        }
        table.EndEdit(edited.Key, ref entry);
        if (list.Count == 0)
            table.Remove(edited.Key);
    }

    /// <summary>What a list of <paramref name="elements"/> under <paramref name="key"/> is counted as.</summary>
    public static long SizeOf(CacheKey key, byte[][] elements)
    {
        long bytes = 0;
        foreach (var element in elements)
            bytes += element.Length + ListValue.ElementOverheadBytes;
        return CacheEntry.SizeOf(key, bytes);
    }

    /// <summary>A list as snapshots store it: the tag, the element count, then each element.</summary>
    public static void Write(BinaryWriter writer, byte[][] elements)
    {
        writer.Write(StoredTag);
        WriteElements(writer, elements);
    }

    public static void WriteElements(BinaryWriter writer, byte[][] elements)
    {
        writer.Write(elements.Length);
        foreach (var element in elements)
        {
            writer.Write7BitEncodedInt(element.Length);
            writer.Write(element);
        }
    }

    /// <summary>The elements after the tag (read by whoever read the tag).</summary>
    public static byte[][] ReadElements(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new SerializationException($"Stored list element count {count} is negative");
        var elements = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var length = reader.Read7BitEncodedInt();
            var bytes = length < 0 ? throw new SerializationException($"Stored length {length} is negative") : reader.ReadBytes(length);
            elements[i] = bytes.Length == length ? bytes : throw new SerializationException($"Stored list is cut short: {bytes.Length} of {length} bytes");
        }
        return elements;
    }
}
