using System.Buffers;
using System.Text;
using DistCache.Actors.PubSub;
using DistCache.Host.Resp;
using DistCache.Actors.Cluster;
using DistCache.Host.Resp.Acl;
using DistCache.Protocol;

namespace DistCache.Tests.Resp.PubSub;

/// <summary>SUBSCRIBE and kin on the command mapping, without a network: the replies byte for byte as
/// redis-server 7.0.15 wrote them for the same commands, subscribe mode in RESP2, delivery through the
/// node's broker, and ACL channel rules.</summary>
public sealed class RespPubSubCommandsTests
{
    private sealed class Recorder : ISubscriber
    {
        public List<string> Got { get; } = [];

        public void Deliver(CacheKey channel, byte[] message, CacheKey pattern, bool sharded) =>
            Got.Add($"{(sharded ? "s" : pattern.IsNull ? "" : pattern + " ")}{channel}={Encoding.UTF8.GetString(message)}");
    }

    private readonly PubSubBroker _broker = new();
    private readonly RespCommands _commands;

    public RespPubSubCommandsTests() => _commands = Commands();

    private RespCommands Commands(RespUsers? users = null) =>
        new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 1, TimeSpan.Zero),
            users is null ? null : new RespSettings(null, 10), users, pubSub: _broker);

    private static RespSession Session(long id, Recorder? sink = null) => new(id) { Pushes = sink };

    // What the connection would send for this command: the reply of a plan answered at once (a subscription
    // change is applied to the broker as the connection applies it).
    private string Wire(RespSession session, params string[] words)
    {
        var plan = _commands.Map(RespArgs.Of(words), session);
        RespValue reply;
        switch (plan)
        {
            case Subscription change:
                change.Apply();
                reply = change.Reply;
                break;
            case Deferred deferred:
                reply = deferred.Run();
                break;
            default:
                reply = Assert.IsType<Immediate>(plan).Reply;
                break;
        }
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.Write(buffer, reply, session.Protocol);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Resp2_subscribe_mode_answers_as_redis_does()
    {
        var session = Session(1, new Recorder());
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n", Wire(session, "SUBSCRIBE", "a", "b"));
        Assert.Equal("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
            Wire(session, "GET", "x"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", Wire(session, "PING"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", Wire(session, "PING", "hi"));
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n", Wire(session, "UNSUBSCRIBE", "b"));
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n", Wire(session, "UNSUBSCRIBE"));
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", Wire(session, "UNSUBSCRIBE"));
        Assert.IsType<ClusterCall>(_commands.Map(RespArgs.Of("GET", "x"), session));
    }

    [Fact]
    public void Resp3_pushes_and_allows_every_command_while_subscribed()
    {
        var session = Session(1, new Recorder());
        session.Protocol = 3;
        Assert.Equal(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", Wire(session, "SUBSCRIBE", "a"));
        Assert.IsType<ClusterCall>(_commands.Map(RespArgs.Of("GET", "x"), session));
        Assert.Equal("+PONG\r\n", Wire(session, "PING"));
        Assert.Equal(">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n>3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n", Wire(session, "UNSUBSCRIBE", "a", "b"));
    }

    [Fact]
    public void Patterns_and_shard_channels_count_apart_and_pubsub_reports_this_node()
    {
        var session = Session(1, new Recorder());
        Assert.Equal("*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:1\r\n", Wire(session, "PSUBSCRIBE", "p*"));
        Assert.Equal("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n", Wire(session, "SSUBSCRIBE", "s"));
        Assert.Equal("*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n", Wire(session, "PUNSUBSCRIBE"));
        Assert.Equal("*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n", Wire(session, "SUNSUBSCRIBE"));
        var other = Session(2);
        Assert.Equal(":0\r\n", Wire(other, "PUBSUB", "NUMPAT"));
        Assert.Equal("*2\r\n$1\r\na\r\n:0\r\n", Wire(other, "PUBSUB", "NUMSUB", "a"));
        Assert.Equal("*0\r\n", Wire(other, "PUBSUB", "CHANNELS"));
        Assert.Equal(":0\r\n", Wire(other, "PUBLISH", "a", "m"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n", Wire(other, "PUBSUB", "FOO"));
        Assert.Equal("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n", Wire(other, "PUBSUB", "NUMPAT", "x"));
    }

    [Fact]
    public void Publish_reaches_each_subscriber_once_per_subscription_and_not_after_it_left()
    {
        var byName = new Recorder();
        var byPattern = new Recorder();
        var subscriber = Session(1, byName);
        var patterned = Session(2, byPattern);
        var publisher = Session(3);
        Wire(subscriber, "SUBSCRIBE", "news");
        Wire(patterned, "PSUBSCRIBE", "n*", "*s");
        Wire(patterned, "SSUBSCRIBE", "news");

        Assert.Equal(":3\r\n", Wire(publisher, "PUBLISH", "news", "one"));
        Assert.Equal(":1\r\n", Wire(publisher, "SPUBLISH", "news", "two"));
        Assert.Equal("*4\r\n$4\r\nnews\r\n:1\r\n$5\r\nsport\r\n:0\r\n", Wire(publisher, "PUBSUB", "NUMSUB", "news", "sport"));
        Assert.Equal(":2\r\n", Wire(publisher, "PUBSUB", "NUMPAT"));
        Assert.Equal("*1\r\n$4\r\nnews\r\n", Wire(publisher, "PUBSUB", "SHARDCHANNELS"));

        Wire(subscriber, "UNSUBSCRIBE");
        _commands.Ended(patterned);
        Assert.Equal(":0\r\n", Wire(publisher, "PUBLISH", "news", "three"));

        Assert.Equal(["news=one"], byName.Got);
        Assert.Equal(["*s news=one", "n* news=one", "snews=two"], byPattern.Got.Order());
    }

    [Fact]
    public void Reset_leaves_every_channel()
    {
        var sink = new Recorder();
        var session = Session(1, sink);
        Wire(session, "SUBSCRIBE", "a");
        Wire(session, "PSUBSCRIBE", "a*");
        Assert.Equal("+RESET\r\n", Wire(session, "RESET"));
        Assert.Equal(":0\r\n", Wire(Session(2), "PUBLISH", "a", "m"));
        Assert.Empty(sink.Got);
        Assert.IsType<ClusterCall>(_commands.Map(RespArgs.Of("GET", "x"), session));
    }

    [Fact]
    public void Inside_multi_subscribing_is_refused_and_publish_runs_at_exec_unless_a_watch_aborts_it()
    {
        var sink = new Recorder();
        Wire(Session(2, sink), "SUBSCRIBE", "a");
        var session = Session(1, new Recorder());
        Assert.Equal("+OK\r\n", Wire(session, "MULTI"));
        Assert.Equal("-ERR Command not allowed inside a transaction\r\n", Wire(session, "SUBSCRIBE", "b"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", Wire(session, "EXEC"));

        Assert.Equal("+OK\r\n", Wire(session, "MULTI"));
        Assert.Equal("+QUEUED\r\n", Wire(session, "PUBLISH", "a", "one"));
        Assert.Equal("+QUEUED\r\n", Wire(session, "PING"));
        Assert.Empty(sink.Got);
        Assert.Equal("*2\r\n:1\r\n+PONG\r\n", Wire(session, "EXEC"));
        Assert.Equal(["a=one"], sink.Got);

        Assert.Equal("+OK\r\n", Wire(session, "MULTI"));
        Assert.Equal("+QUEUED\r\n", Wire(session, "PUBLISH", "a", "two"));
        Assert.Equal("+OK\r\n", Wire(session, "DISCARD"));
        Assert.Equal(["a=one"], sink.Got);
    }

    [Fact]
    public void Acl_channel_rules_guard_publish_and_subscribe_as_redis_does()
    {
        var users = AclFileParser.Parse(
        [
            "user news on >pw +@all ~* &news.*",
            "user all on >pw +@all ~* allchannels",
            "user none on >pw +@all ~*",
        ], "test");
        var commands = Commands(users);
        string As(string user, params string[] words)
        {
            var session = Session(1, new Recorder());
            Assert.Equal(RespValue.Ok, Assert.IsType<Immediate>(commands.Map(RespArgs.Of("AUTH", user, "pw"), session)).Reply);
            var plan = commands.Map(RespArgs.Of(words), session);
            var reply = plan switch
            {
                Subscription change => change.Reply,
                Deferred deferred => deferred.Run(),
                _ => Assert.IsType<Immediate>(plan).Reply,
            };
            return reply is RespError error ? error.Message : "ok";
        }
        const string denied = "NOPERM No permissions to access a channel";

        Assert.Equal("ok", As("news", "SUBSCRIBE", "news.1"));
        Assert.Equal(denied, As("news", "SUBSCRIBE", "news.1", "sport"));
        Assert.Equal("ok", As("news", "PSUBSCRIBE", "news.*"));
        Assert.Equal(denied, As("news", "PSUBSCRIBE", "news.1*"));
        Assert.Equal("ok", As("news", "PUBLISH", "news.2", "m"));
        Assert.Equal(denied, As("news", "PUBLISH", "sport", "m"));
        Assert.Equal("ok", As("all", "PSUBSCRIBE", "*"));
        Assert.Equal(denied, As("none", "SUBSCRIBE", "news.1"));
        Assert.Equal(denied, As("none", "SPUBLISH", "news.1", "m"));
    }
}
