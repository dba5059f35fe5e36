using System.Globalization;
using DistCache.Actors.Cluster;
using DistCache.Actors.Gateway;
using DistCache.Protocol;
using DistCache.Wire;

namespace DistCache.Host.Resp.RedisCluster;

/// <summary>The Redis Cluster face of the endpoint: the CLUSTER subcommands, READONLY/READWRITE/ASKING, and
/// whether a connection's keyed command is redirected (<see cref="SlotRedirect"/>) under
/// distcache.resp.cluster-mode. <paramref name="owners"/> gives the current slot map, <paramref name="servesHere"/>
/// whether a partition serves on this node.</summary>
public sealed class RespClusterCommands(RespClusterMode mode, Func<SlotOwners> owners, Func<int, bool> servesHere, Func<bool>? leaving = null)
{
    /// <summary>Redis's words when cluster-enabled is no.</summary>
    public static readonly RespValue Disabled = RespValue.Error("ERR This instance has cluster support disabled");

    private static readonly RespValue NotInteger = RespValue.Error("ERR value is not an integer or out of range");

    /// <summary>Standalone (cluster-mode off, or no server behind the mapping).</summary>
    public static readonly RespClusterCommands Off = new(RespClusterMode.Off, () => throw new InvalidOperationException("cluster mode is off"), _ => true);

    /// <summary>The subcommands, as <see cref="RespWords"/> looks words up.</summary>
    public static readonly string[] Options = ["HELP", "INFO", "MYID", "NODES", "SLOTS", "SHARDS", "KEYSLOT", "COUNTKEYSINSLOT", "GETKEYSINSLOT"];

    public RespClusterMode Mode => mode;

    /// <summary>Whether CLUSTER is answered and INFO and HELLO say cluster.</summary>
    public bool Enabled => mode != RespClusterMode.Off;

    /// <summary>Whether this connection's keyed commands get MOVED for slots owned elsewhere: always in mode
    /// on; in auto only once the client has shown it routes by slot (asked for the slot map, or sent READONLY
    /// or ASKING, which only a cluster client sends), so a plain client on any node is still served.</summary>
    public bool Redirects(RespSession session) => mode == RespClusterMode.On || (mode == RespClusterMode.Auto && session.RoutesBySlot);

    /// <summary>MOVED or CROSSSLOT for a command of this connection, or null to run it here.</summary>
    public RespValue? Redirect(RespCommandSpec command, RespArgs args, RespSession session)
    {
        // ASKING holds for the one command after it (Redis clears it after every other command).
        var asking = session.Asking;
        session.Asking = false;
        if (asking || !Redirects(session) || (command.FirstKey <= 0 && !command.MovableKeys))
            return null;
        Span<int> slots = stackalloc int[16];
        var count = 0;
        // Only a movablekeys command needs the union of both rules (and its allocation).
        foreach (var position in command.MovableKeys ? command.KeyPositions(args) : command.KeyPositions(args.Count))
        {
            if (count == slots.Length)
            {
                var larger = new int[slots.Length * 4];
                slots.CopyTo(larger);
                slots = larger;
            }
            slots[count++] = KeySlot.Of(args[position]);
        }
        return SlotRedirect.Decide(slots[..count], owners(), servesHere, leaving?.Invoke() ?? false);
    }

    /// <summary>READONLY, READWRITE, ASKING: accepted (DistCache has no replicas to read from); READONLY and
    /// ASKING mark a cluster client, and ASKING has the next keyed command served here (a leaving node sends
    /// clients here with -ASK for the slots it has handed off while its map may be behind).</summary>
    public RespPlan Connection(string name, RespSession session)
    {
        if (!Enabled)
            return new Immediate(Disabled);
        if (name is "READONLY" or "ASKING")
            session.RoutesBySlot = true;
        session.Asking = name == "ASKING";
        return new Immediate(RespValue.Ok);
    }

    public RespPlan Cluster(RespArgs args, RespSession session)
    {
        if (!Enabled)
            return new Immediate(Disabled);
        var sub = args.Word(1);
        return (sub, args.Count) switch
        {
            ("INFO", 2) => new Immediate(RespValue.Verbatim(ClusterReplies.Info(owners()))),
            ("MYID", 2) => new Immediate(RespValue.Bulk(owners().Nodes.Single(n => n.Myself).Id)),
            ("NODES", 2) => Map(session, o => RespValue.Verbatim(ClusterReplies.Nodes(o))),
            ("SLOTS", 2) => Map(session, ClusterReplies.Slots),
            ("SHARDS", 2) => Map(session, ClusterReplies.Shards),
            ("KEYSLOT", 3) => new Immediate(new RespInteger(KeySlot.Of(args[2]))),
            ("COUNTKEYSINSLOT", 3) => !args.TryInteger(2, out var slot) ? new Immediate(NotInteger)
                : slot is < 0 or >= KeySlot.Count ? new Immediate(RespValue.Error("ERR Invalid slot"))
                : KeysInSlot((int)slot, int.MaxValue, keys => new RespInteger(keys.Count)),
            ("GETKEYSINSLOT", 4) => !args.TryInteger(2, out var slot) || !args.TryInteger(3, out var count) ? new Immediate(NotInteger)
                : slot is < 0 or >= KeySlot.Count || count < 0 ? new Immediate(RespValue.Error("ERR Invalid slot or number of keys"))
                : KeysInSlot((int)slot, (int)Math.Min(count, int.MaxValue), keys => new RespArray(keys.Select(RespValue.Bulk).ToArray())),
            ("HELP", 2) => new Immediate(new RespArray(Help.Select(line => (RespValue)new RespSimple(line)).ToArray())),
            ("INFO" or "MYID" or "NODES" or "SLOTS" or "SHARDS" or "KEYSLOT" or "COUNTKEYSINSLOT" or "GETKEYSINSLOT" or "HELP", _) =>
                new Immediate(RespValue.Error($"ERR wrong number of arguments for 'cluster|{sub!.ToLowerInvariant()}' command")),
            _ => new Immediate(RespValue.Error($"ERR unknown subcommand '{args.Text(1)}'. Try CLUSTER HELP.")),
        };
    }

    // Asking for the slot map is what a cluster client does first: from then on it routes by slot, and this
    // connection gets MOVED when it is wrong.
    private Immediate Map(RespSession session, Func<SlotOwners, RespValue> reply)
    {
        session.RoutesBySlot = true;
        return new Immediate(reply(owners()));
    }

    // The slot's keys are in one partition: scan from that partition's start and stop when the cursor leaves
    // it (a page may run into the next partitions; their keys are not in the slot and are dropped).
    private RespPlan KeysInSlot(int slot, int limit, Func<List<CacheKey>, RespValue> answer)
    {
        var partitions = owners().Partitions;
        var partition = KeySlot.PartitionOf(slot, partitions);
        return new ClusterSteps(async execute =>
        {
            var found = new List<CacheKey>();
            var cursor = ScanCursor.Format(partition, null);
            while (found.Count < limit)
            {
                var page = (KeyPage)await execute(new ScanKeys(cursor, PageSize));
                foreach (var key in page.Keys)
                {
                    if (found.Count < limit && KeySlot.Of(key) == slot)
                        found.Add(key);
                }
                cursor = page.Cursor;
                if (cursor == ScanCursor.Start || !ScanCursor.TryParse(cursor, partitions, out var next, out _) || next != partition)
                    break;
            }
            return answer(found);
        });
    }

    private const int PageSize = 1000;

    // CLUSTER HELP in Redis's layout, for the subcommands DistCache has (it places and moves partitions
    // itself, so ADDSLOTS, SETSLOT, MEET, FAILOVER and the like are not among them).
    private static readonly string[] Help =
    [
        "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "COUNTKEYSINSLOT <slot>",
        "    Return the number of keys in <slot>.",
        "GETKEYSINSLOT <slot> <count>",
        "    Return key names stored by current node in a slot.",
        "INFO",
        "    Return information about the cluster.",
        "KEYSLOT <key>",
        "    Return the hash slot for <key>.",
        "MYID",
        "    Return the node id.",
        "NODES",
        "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port@bus-port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "SHARDS",
        "    Return information about slot range mappings and the nodes associated with them.",
        "SLOTS",
        "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "HELP",
        "    Print this help.",
    ];
}
