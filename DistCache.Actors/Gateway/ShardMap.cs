using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;

namespace DistCache.Actors.Gateway;

/// <summary>Which node hosts each shard, as last reported by the cluster. Read by fan-out requests to send
/// one message per node; a stale entry costs an extra hop (the receiving node's region forwards), never
/// a wrong answer. Replaced atomically, so readers on any thread see a consistent map.</summary>
public sealed class ShardMap
{
    private volatile ImmutableDictionary<int, Address> _nodes = ImmutableDictionary<int, Address>.Empty;

    public Address? NodeOf(int shard) => _nodes.TryGetValue(shard, out var node) ? node : null;

    public int Known => _nodes.Count;

    public void Update(IEnumerable<KeyValuePair<Address, IEnumerable<string>>> regions)
    {
        var builder = ImmutableDictionary.CreateBuilder<int, Address>();
        foreach (var (node, shards) in regions)
        {
            foreach (var shard in shards)
            {
                if (int.TryParse(shard, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    builder[id] = node;
            }
        }
        _nodes = builder.ToImmutable();
    }
}
