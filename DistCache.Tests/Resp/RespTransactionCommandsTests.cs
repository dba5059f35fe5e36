using DistCache.Host.Resp;
using DistCache.Protocol;

namespace DistCache.Tests.Resp;

/// <summary>MULTI's queueing as plain mapping, without a cluster: what is queued, what is refused (and dooms
/// EXEC), what runs at once, and the one <see cref="Transaction"/> EXEC sends.</summary>
public class RespTransactionCommandsTests
{
    private readonly RespCommands _commands = new(() => new RespNodeInfo("0.1.0", "akka.tcp://distcache@127.0.0.1:4053", 6379, 3, TimeSpan.FromSeconds(9)));
    private readonly RespSession _session = new(7);

    private RespPlan Map(params string[] words) => _commands.Map(RespArgs.Of(words), _session);

    private RespValue Reply(params string[] words) => Assert.IsType<Immediate>(Map(words)).Reply;

    [Fact]
    public void Commands_inside_multi_are_queued_and_exec_sends_them_as_one_transaction_in_their_partition_form()
    {
        Assert.Equal(RespValue.Ok, Reply("MULTI"));
        Assert.Equal(RespTransactionCommands.Queued, Reply("SET", "{t}a", "1"));
        Assert.Equal(RespTransactionCommands.Queued, Reply("MGET", "{t}a", "{t}b"));
        Assert.Equal(RespTransactionCommands.Queued, Reply("DEL", "{t}a", "{t}b"));
        Assert.Equal(RespTransactionCommands.Queued, Reply("BLPOP", "{t}l", "0"));
        Assert.Equal(RespTransactionCommands.Queued, Reply("PING"));
        Assert.True(_session.Transaction.Active);
        var queued = _session.Transaction.Commands;
        Assert.IsType<SetValue>(Assert.Single(queued[0].Commands));
        Assert.IsType<MultiGetPart>(Assert.Single(queued[1].Commands));
        Assert.Equal(2, queued[2].Commands.Length);
        Assert.IsType<ListMultiPop>(Assert.Single(queued[3].Commands));
        Assert.Equal(RespValue.Pong, queued[4].Reply);

        Assert.IsType<ClusterSteps>(Map("EXEC"));
        Assert.False(_session.Transaction.Active);
        Assert.Empty(_session.Transaction.Commands);
    }

    [Fact]
    public void What_cannot_run_in_one_partition_is_refused_when_queued_and_exec_then_aborts()
    {
        Reply("MULTI");
        Assert.Equal(RespTransactionCommands.NotAllowed, Reply("KEYS", "*"));
        Assert.Equal(RespTransactionCommands.NotAllowed, Reply("CLIENT", "SETNAME", "x"));
        Assert.Null(_session.Name);
        Assert.Equal(RespTransactionCommands.CrossSlot, Reply("MSET", "{a}1", "1", "{b}2", "2"));
        Assert.True(_session.Transaction.Failed);
        Assert.Equal(RespTransactionCommands.ExecAbort, Reply("EXEC"));
        Assert.False(_session.Transaction.Active);
    }

    [Fact]
    public void Watch_checks_its_slot_and_unwatch_inside_multi_leaves_the_watches_to_exec()
    {
        Assert.Equal(RespTransactionCommands.CrossSlot, Reply("WATCH", "{a}1", "{b}2"));
        Assert.IsType<KeyVersions>(Assert.Single(Assert.IsType<ClusterCall>(Map("WATCH", "{a}1", "{a}2")).Commands));
        Reply("MULTI");
        Assert.Equal(RespTransactionCommands.Queued, Reply("UNWATCH"));
        Assert.Single(_session.Transaction.Watches);
        Assert.Equal(RespTransactionCommands.WatchInsideMulti, Reply("WATCH", "{a}1"));
        Assert.Equal(RespValue.Ok, Reply("DISCARD"));
        Assert.Empty(_session.Transaction.Watches);
        Assert.Equal(RespTransactionCommands.DiscardWithoutMulti, Reply("DISCARD"));
        Assert.Equal(RespTransactionCommands.ExecWithoutMulti, Reply("EXEC"));
    }

    [Fact]
    public void Reset_ends_a_transaction()
    {
        Reply("MULTI");
        Reply("SET", "k", "v");
        Reply("RESET");
        Assert.False(_session.Transaction.Active);
        Assert.Empty(_session.Transaction.Commands);
    }
}
