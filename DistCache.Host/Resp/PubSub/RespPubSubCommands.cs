using DistCache.Actors.PubSub;
using DistCache.Host.Resp.Acl;
using DistCache.Protocol;

namespace DistCache.Host.Resp.PubSub;

/// <summary>SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB, with Redis 7's
/// replies (pubsub.c), over the node's <see cref="PubSubBroker"/>. A subscribe answers one push per channel
/// with the connection's count after it; the connection's table changes at once, the broker's around the
/// reply (<see cref="Subscription"/>), so no message comes before a subscribe's reply or after an unsubscribe's.</summary>
public sealed class RespPubSubCommands(PubSubBroker broker)
{
    /// <summary>What a RESP2 connection with a subscription may still run (Redis's subscribe mode).</summary>
    public static readonly HashSet<string> AllowedWhileSubscribed = new(StringComparer.Ordinal)
    {
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "PING", "QUIT", "RESET",
    };

    public static readonly RespValue NoPermission = RespValue.Error("NOPERM No permissions to access a channel");

    public static RespValue NotAllowedWhileSubscribed(string name) => RespValue.Error(
        $"ERR Can't execute '{name.ToLowerInvariant()}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");

    /// <summary>PING on a RESP2 connection in subscribe mode: ["pong", message or ""], as Redis answers it.</summary>
    public static RespValue SubscribedPing(RespArgs args) =>
        new RespArray([RespValue.Bulk("pong"), args.Count > 1 ? new RespBulk(args.Bytes(1)) : new RespBulk([])]);

    public RespPlan Map(string name, RespArgs args, RespSession session, AclUser? user) => name switch
    {
        "SUBSCRIBE" => Subscribe(args, session, user, Kind.Channel),
        "PSUBSCRIBE" => Subscribe(args, session, user, Kind.Pattern),
        "SSUBSCRIBE" => Subscribe(args, session, user, Kind.Shard),
        "UNSUBSCRIBE" => Unsubscribe(args, session, Kind.Channel),
        "PUNSUBSCRIBE" => Unsubscribe(args, session, Kind.Pattern),
        "SUNSUBSCRIBE" => Unsubscribe(args, session, Kind.Shard),
        "PUBLISH" or "SPUBLISH" => user is not null && !user.CanUseChannel(args[1]) ? new Immediate(NoPermission) : Publish(args, name == "SPUBLISH"),
        _ => new Immediate(Introspect(args)),
    };

    private Deferred Publish(RespArgs args, bool sharded)
    {
        var channel = args.Key(1);
        var message = args.Bytes(2);
        return new Deferred(() => new RespInteger(broker.Publish(channel, message, sharded)));
    }

    /// <summary>Every subscription of a connection that ends (or RESET), taken out of the broker.</summary>
    public void Forget(RespSession session)
    {
        if (session.Pushes is not { } sink)
            return;
        var subscriptions = session.Subscriptions;
        foreach (var channel in subscriptions.Channels)
            broker.Unsubscribe(sink, channel, sharded: false);
        foreach (var channel in subscriptions.ShardChannels)
            broker.Unsubscribe(sink, channel, sharded: true);
        foreach (var pattern in subscriptions.Patterns)
            broker.UnsubscribePattern(sink, pattern);
        subscriptions.Channels.Clear();
        subscriptions.ShardChannels.Clear();
        subscriptions.Patterns.Clear();
    }

    private enum Kind { Channel, Pattern, Shard }

    private RespPlan Subscribe(RespArgs args, RespSession session, AclUser? user, Kind kind)
    {
        // Redis checks every channel first and subscribes to none when one is refused.
        for (var i = 1; i < args.Count; i++)
        {
            if (user is not null && !(kind == Kind.Pattern ? user.CanUsePattern(args[i]) : user.CanUseChannel(args[i])))
                return new Immediate(NoPermission);
        }
        var sink = session.Pushes;
        var set = SetOf(session.Subscriptions, kind);
        var frames = new List<RespValue>(args.Count - 1);
        var added = new List<CacheKey>();
        for (var i = 1; i < args.Count; i++)
        {
            var channel = args.Key(i);
            if (set.Add(channel))
                added.Add(channel);
            frames.Add(Confirmation(KindWord(kind, subscribe: true), RespValue.Bulk(channel), CountOf(session.Subscriptions, kind)));
        }
        return new Subscription(new RespFrames(frames), () =>
        {
            foreach (var channel in added)
                Add(sink, channel, kind);
        }, ApplyBeforeReply: false);
    }

    private RespPlan Unsubscribe(RespArgs args, RespSession session, Kind kind)
    {
        var set = SetOf(session.Subscriptions, kind);
        var names = args.Count > 1 ? Enumerable.Range(1, args.Count - 1).Select(args.Key).ToList() : set.ToList();
        var word = KindWord(kind, subscribe: false);
        if (names.Count == 0)
            return new Immediate(Confirmation(word, RespValue.Null, CountOf(session.Subscriptions, kind)));
        var sink = session.Pushes;
        var frames = new List<RespValue>(names.Count);
        var removed = new List<CacheKey>();
        foreach (var channel in names)
        {
            if (set.Remove(channel))
                removed.Add(channel);
            frames.Add(Confirmation(word, RespValue.Bulk(channel), CountOf(session.Subscriptions, kind)));
        }
        return new Subscription(new RespFrames(frames), () =>
        {
            foreach (var channel in removed)
                Remove(sink, channel, kind);
        }, ApplyBeforeReply: true);
    }

    private RespValue Introspect(RespArgs args)
    {
        var sub = args.Text(1).ToUpperInvariant();
        var (fewest, most) = sub switch
        {
            "CHANNELS" or "SHARDCHANNELS" => (2, 3),
            "NUMSUB" or "SHARDNUMSUB" => (2, int.MaxValue),
            "NUMPAT" or "HELP" => (2, 2),
            _ => (0, -1),
        };
        if (most < 0)
            return RespValue.Error($"ERR unknown subcommand '{args.Text(1)}'. Try PUBSUB HELP.");
        if (args.Count < fewest || args.Count > most)
            return RespValue.Error($"ERR wrong number of arguments for 'pubsub|{sub.ToLowerInvariant()}' command");
        switch (sub)
        {
            case "CHANNELS" or "SHARDCHANNELS":
                var pattern = args.Count == 3 ? args.Key(2) : default;
                return new RespArray(broker.Channels(pattern, sharded: sub == "SHARDCHANNELS").Select(RespValue.Bulk).ToArray());
            case "NUMSUB" or "SHARDNUMSUB":
                var counts = new List<RespValue>();
                for (var i = 2; i < args.Count; i++)
                {
                    counts.Add(new RespBulk(args.Bytes(i)));
                    counts.Add(new RespInteger(broker.CountSubscribers(args.Key(i), sharded: sub == "SHARDNUMSUB")));
                }
                return new RespArray(counts);
            case "NUMPAT":
                return new RespInteger(broker.PatternCount);
            default:
                return new RespArray(Help.Select(line => (RespValue)new RespSimple(line)).ToArray());
        }
    }

    private static readonly string[] Help =
    [
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Print this help.",
    ];

    private static RespValue Confirmation(string word, RespValue channel, int count) =>
        new RespPush([RespValue.Bulk(word), channel, new RespInteger(count)]);

    private static string KindWord(Kind kind, bool subscribe) => (kind, subscribe) switch
    {
        (Kind.Channel, true) => "subscribe",
        (Kind.Pattern, true) => "psubscribe",
        (Kind.Shard, true) => "ssubscribe",
        (Kind.Channel, false) => "unsubscribe",
        (Kind.Pattern, false) => "punsubscribe",
        _ => "sunsubscribe",
    };

    private static HashSet<CacheKey> SetOf(RespSubscriptions subscriptions, Kind kind) => kind switch
    {
        Kind.Channel => subscriptions.Channels,
        Kind.Pattern => subscriptions.Patterns,
        _ => subscriptions.ShardChannels,
    };

    private static int CountOf(RespSubscriptions subscriptions, Kind kind) => kind == Kind.Shard ? subscriptions.ShardCount : subscriptions.Count;

    // A session without a connection (the mapping tested alone) has no sink: its table changes only.
    private void Add(ISubscriber? sink, CacheKey channel, Kind kind)
    {
        if (sink is null)
            return;
        if (kind == Kind.Pattern)
            broker.SubscribePattern(sink, channel);
        else
            broker.Subscribe(sink, channel, kind == Kind.Shard);
    }

    private void Remove(ISubscriber? sink, CacheKey channel, Kind kind)
    {
        if (sink is null)
            return;
        if (kind == Kind.Pattern)
            broker.UnsubscribePattern(sink, channel);
        else
            broker.Unsubscribe(sink, channel, kind == Kind.Shard);
    }
}
