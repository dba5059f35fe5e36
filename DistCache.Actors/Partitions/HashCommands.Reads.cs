using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

// The hash reads: HGET, HMGET, HEXISTS, HSTRLEN (one command, the values of some fields), HLEN, HGETALL
// (with HKEYS and HVALS), HRANDFIELD and HSCAN. Each is a read of the key (it becomes the most recently
// used; a sliding expiry slides), and answers WRONGTYPE on a key holding another type.
public sealed partial class HashCommands
{
    // Redis answers a listpack-encoded hash (up to 128 fields) whole in one HSCAN page.
    private const int WholePageFields = 128;
    // A larger hash comes in pages of at least 1/64 of it, so a full scan sorts it a bounded number of times.
    private const int MostPages = 64;

    public Decision Get(HashGetFields get) => _rules.Read(get.Key, Hashes, e =>
    {
        var values = new CacheValue?[get.Fields.Length];
        if (e?.Hash is { } hash)
        {
            for (var i = 0; i < values.Length; i++)
                values[i] = hash.TryGet(get.Fields[i], out var value) ? StringType.Text(value) : null;
        }
        return new Values(values);
    });

    public Decision Length(HashLength length) => _rules.Read(length.Key, Hashes, e => new CounterValue(e?.Hash?.Count ?? 0));

    public Decision GetAll(HashGetAll all) => _rules.Read(all.Key, Hashes, e => new HashEntries(e?.Hash?.ToFields() ?? []));

    public Decision RandomFields(HashRandomFields random) => _rules.Read(random.Key, Hashes, e => new HashEntries(Pick(e?.Hash, random.Count)));

    public Decision Scan(HashScan scan) => _rules.Read(scan.Key, Hashes, e => Page(e?.Hash, scan.After, scan.Count));

    /// <summary>HRANDFIELD's choice (t_hash.c hrandfieldWithCountCommand): without a count one field; a
    /// positive count that many distinct fields (the whole hash when it has no more); a negative one
    /// exactly |count| picks that may repeat; 0 or a missing key none. O(fields) per call: a dictionary has
    /// no random access.</summary>
    public static HashField[] Pick(HashValue? hash, long? count)
    {
        if (hash is null || hash.Count == 0 || count == 0)
            return [];
        var all = hash.ToFields();
        if (count is not { } n)
            return [all[Random.Shared.Next(all.Length)]];
        if (n < 0)
        {
            var picks = new HashField[checked((int)-n)];
            for (var i = 0; i < picks.Length; i++)
                picks[i] = all[Random.Shared.Next(all.Length)];
            return picks;
        }
        // Distinct fields: the first n of a partial Fisher-Yates shuffle.
        var take = (int)Math.Min(n, all.Length);
        for (var i = 0; i < take; i++)
        {
            var j = Random.Shared.Next(i, all.Length);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return take == all.Length ? all : all[..take];
    }

    /// <summary>A page of HSCAN: the fields after <paramref name="after"/> in byte order. Every field
    /// present for the whole scan is returned once, whatever else changes, as Redis promises.</summary>
    public static HashPage Page(HashValue? hash, CacheKey? after, int count)
    {
        if (hash is null)
            return new HashPage([], null);
        var size = hash.Count <= WholePageFields ? hash.Count : Math.Max(count, hash.Count / MostPages);
        var names = new List<CacheKey>(after is null ? hash.Count : 16);
        foreach (var field in hash.Fields.Keys)
        {
            if (after is not { } last || field.CompareTo(last) > 0)
                names.Add(field);
        }
        names.Sort();
        var taken = Math.Min(size, names.Count);
        var fields = new HashField[taken];
        for (var i = 0; i < taken; i++)
            fields[i] = new HashField(names[i], hash.Fields[names[i]]);
        return new HashPage(fields, names.Count > taken ? names[taken - 1] : (CacheKey?)null);
    }
}
