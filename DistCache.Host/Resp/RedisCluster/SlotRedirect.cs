using DistCache.Wire;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>What a redirected connection (cluster mode on, or auto after the client asked for the slot map)
/// gets for a keyed command: served here, or sent to the slot's owner with MOVED, or refused with CROSSSLOT
/// when its keys are in different slots (as Redis Cluster's getNodeByQuery). Pure: the owners and whether a
/// partition serves on this node are given.</summary>
public static class SlotRedirect
{
    public static readonly RespValue CrossSlot = RespValue.Error("CROSSSLOT Keys in request don't hash to the same slot");

    /// <summary>Null to serve the command here; else the error to answer. <paramref name="slots"/> are the
    /// slots of the command's keys (none for a command without keys, which is always served).
    /// <paramref name="leaving"/>: this node is stopping, and a slot it does not serve any more may still be
    /// named for it in its map (or have no known owner) while its own shard region, which would pass the
    /// request on, is stopping too. Such a slot is sent to another node with -ASK: the client sends ASKING and
    /// the command there, and that node serves it through its own region (a MOVED there could be answered by
    /// another MOVED, and StackExchange.Redis follows one redirect per command). A slot the map gives to
    /// another node gets MOVED as always: the leaving node's map is refreshed from another member.</summary>
    public static RespValue? Decide(ReadOnlySpan<int> slots, SlotOwners owners, Func<int, bool> servesHere, bool leaving = false)
    {
        if (slots.IsEmpty)
            return null;
        var slot = slots[0];
        foreach (var other in slots[1..])
        {
            if (other != slot)
                return CrossSlot;
        }
        // A partition serving here is served here, whatever a shard map a moment old says.
        if (servesHere(KeySlot.PartitionOf(slot, owners.Partitions)))
            return null;
        var owner = owners.OwnerOfSlot(slot);
        // Unknown: the partition is handing off (it stops at the old node, then recovers at the new one; there
        // is never a half-moved slot, so Redis's ASK has nothing to say). The request waits in the shard region
        // until the partition lands and is answered from there, as on a standalone connection. Here: the map
        // says this node while the partition is still starting, or has just left; the region knows better.
        if (owner == SlotOwners.Unknown || owner == owners.Self)
            return leaving && owners.AnotherNode(slot) is { } other ? Ask(slot, other) : null;
        return Moved(slot, owners.Nodes[owner]);
    }

    /// <summary>Redis Cluster's one-time redirect: -ASK &lt;slot&gt; &lt;host&gt;:&lt;port&gt; (the client does not change its map).</summary>
    public static RespValue Ask(int slot, ClusterNode node) => RespValue.Error($"ASK {slot} {node.Endpoint}");

    /// <summary>Redis Cluster's redirect: -MOVED &lt;slot&gt; &lt;host&gt;:&lt;port&gt;.</summary>
    public static RespValue Moved(int slot, ClusterNode node) => RespValue.Error($"MOVED {slot} {node.Endpoint}");
}
