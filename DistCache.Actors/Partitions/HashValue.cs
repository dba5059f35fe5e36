using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

/// <summary>What a hash key holds: its fields and their values, changed in place by
/// <see cref="PartitionState.Apply"/> only (a 100,000-field hash is never copied for one write), with the
/// bytes of its fields and values kept as it changes so the memory limit costs nothing to check.</summary>
public sealed class HashValue
{
    // A field's dictionary slot and the headers of its two arrays: measured roughly, not exactly.
    public const int FieldOverheadBytes = 64;

    private readonly Dictionary<CacheKey, byte[]> _fields;

    public HashValue(int capacity = 0) => _fields = new Dictionary<CacheKey, byte[]>(capacity);

    public int Count => _fields.Count;

    /// <summary>The bytes of every field name and value (what the per-collection byte limit counts).</summary>
    public long DataBytes { get; private set; }

    /// <summary>What the hash is counted as for the memory limit.</summary>
    public long PayloadBytes => DataBytes + (long)Count * FieldOverheadBytes;

    public IReadOnlyDictionary<CacheKey, byte[]> Fields => _fields;

    public bool TryGet(CacheKey field, out byte[] value) => _fields.TryGetValue(field, out value!);

    /// <summary>Sets the field; the value array is kept, never copied (values are never changed in place).</summary>
    public void Set(CacheKey field, byte[] value)
    {
        if (_fields.TryGetValue(field, out var old))
            DataBytes -= field.Length + old.Length;
        _fields[field] = value;
        DataBytes += field.Length + value.Length;
    }

    public bool Remove(CacheKey field)
    {
        if (!_fields.Remove(field, out var old))
            return false;
        DataBytes -= field.Length + old.Length;
        return true;
    }

    /// <summary>The fields as journal events and snapshots carry them: a copy of the pairs, so the copy
    /// stays as it is while the hash goes on changing (a snapshot is serialized after the actor moved on).</summary>
    public HashField[] ToFields()
    {
        var fields = new HashField[_fields.Count];
        var i = 0;
        foreach (var (field, value) in _fields)
            fields[i++] = new HashField(field, value);
        return fields;
    }

    public static HashValue From(IReadOnlyCollection<HashField> fields)
    {
        var hash = new HashValue(fields.Count);
        foreach (var field in fields)
            hash.Set(field.Field, field.Value);
        return hash;
    }
}
