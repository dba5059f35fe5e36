using DistCache.Actors.Cluster;
using DistCache.Host.Resp;
using DistCache.Host.Resp.RedisCluster;
using DistCache.Wire;

namespace DistCache.Tests.Resp.RedisCluster;

/// <summary>The redirect decision: served here, MOVED to the owner's announced endpoint, or CROSSSLOT.</summary>
public sealed class SlotRedirectTests
{
    private static readonly ClusterNode Me = new(new string('a', 40), new RespAnnounce("127.0.0.1", 7001), 4053, Myself: true);
    private static readonly ClusterNode Other = new(new string('b', 40), new RespAnnounce("db2.example", 7002), 4054, Myself: false);

    // 4 partitions of 4096 slots: 0 here, 1 and 3 on the other node, 2 between homes.
    private static readonly SlotOwners Owners = new([Me, Other], [0, 1, SlotOwners.Unknown, 1]);

    private static RespValue? Decide(int[] slots, params int[] servedHere) => SlotRedirect.Decide(slots, Owners, servedHere.Contains);

    [Fact]
    public void A_slot_owned_elsewhere_is_moved_to_the_owners_announced_endpoint()
    {
        Assert.Equal(RespValue.Error("MOVED 5000 db2.example:7002"), Decide([5000], 0));
        Assert.Equal(RespValue.Error("MOVED 16383 db2.example:7002"), Decide([16383, 16383], 0));
    }

    [Fact]
    public void A_slot_of_a_partition_here_is_served_here_whatever_the_map_says()
    {
        Assert.Null(Decide([100], 0));
        // The map still names the other node, but the partition has just landed here.
        Assert.Null(Decide([5000], 0, 1));
    }

    [Fact]
    public void A_partition_between_homes_or_still_starting_here_is_held_not_redirected()
    {
        Assert.Null(Decide([9000]));      // owner unknown: the request waits in the region until it lands
        Assert.Null(Decide([100]));       // the map says here, the partition is not serving yet
    }

    [Fact]
    public void A_leaving_node_asks_another_node_for_the_slots_it_no_longer_serves_and_serves_the_rest()
    {
        RespValue? Leaving(int[] slots, params int[] servedHere) => SlotRedirect.Decide(slots, Owners, servedHere.Contains, leaving: true);

        // Its map still names it (partition 0) or nobody (partition 2): another node serves them after ASKING.
        Assert.Equal(RespValue.Error("ASK 100 db2.example:7002"), Leaving([100]));
        Assert.Equal(RespValue.Error("ASK 9000 db2.example:7002"), Leaving([9000]));
        // Owned elsewhere by its map (refreshed from another member while it leaves): MOVED as always.
        Assert.Equal(RespValue.Error("MOVED 5000 db2.example:7002"), Leaving([5000]));
        // A partition it still runs is served until it hands it off.
        Assert.Null(Leaving([100], 0));
        // Alone, there is nowhere to send anyone: held, as before.
        var alone = new SlotOwners([Me], [0, 0, SlotOwners.Unknown, 0]);
        Assert.Null(SlotRedirect.Decide([100], alone, _ => false, leaving: true));
    }

    [Fact]
    public void Another_node_is_never_this_one_and_spreads_over_the_others()
    {
        var third = new ClusterNode(new string('c', 40), new RespAnnounce("db3.example", 7003), 4055, Myself: false);
        var owners = new SlotOwners([Other, Me, third], [0, 1, 2, 0]);
        var picked = Enumerable.Range(0, 100).Select(slot => owners.AnotherNode(slot)!).ToArray();
        Assert.DoesNotContain(Me, picked);
        Assert.Equal([Other, third], picked.Distinct().OrderBy(n => n.Endpoint.Port));
    }

    [Fact]
    public void Keys_in_different_slots_are_crossslot_and_a_command_without_keys_is_served()
    {
        Assert.Equal(SlotRedirect.CrossSlot, Decide([100, 101], 0));
        Assert.Null(Decide([]));
    }

    [Fact]
    public void Hash_tags_put_keys_in_one_slot_so_a_multi_key_command_is_moved_as_one()
    {
        var slot = KeySlot.Of("{user42}:cart"u8);
        Assert.Equal(slot, KeySlot.Of("{user42}:profile"u8));
        var owner = Owners.OwnerOfSlot(slot);
        var decision = Decide([slot, slot], 0);
        Assert.Equal(owner == 1 ? RespValue.Error($"MOVED {slot} db2.example:7002") : null, decision);
    }
}
