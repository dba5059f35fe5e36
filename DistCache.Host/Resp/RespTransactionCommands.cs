using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Host.Resp;

/// <summary>MULTI, EXEC, DISCARD, WATCH and UNWATCH with Redis 7's replies (multi.c), and the queueing of the
/// commands in between. EXEC sends the queue as one <see cref="Transaction"/>: the partition that owns its
/// keys runs it atomically and journals it as one event. As in Redis Cluster, each command's own keys must
/// share a slot when it is queued, and all the transaction's keys (watched ones too) when EXEC runs, else
/// CROSSSLOT. A command refused while queued (unknown, wrong arity, syntax, not allowed in a transaction)
/// makes EXEC answer EXECABORT; a command refused while running (WRONGTYPE) answers its error in its slot
/// while the others apply.</summary>
public static class RespTransactionCommands
{
    public static readonly RespValue Queued = new RespSimple("QUEUED");
    public static readonly RespValue Nested = RespValue.Error("ERR MULTI calls can not be nested");
    public static readonly RespValue ExecWithoutMulti = RespValue.Error("ERR EXEC without MULTI");
    public static readonly RespValue DiscardWithoutMulti = RespValue.Error("ERR DISCARD without MULTI");
    public static readonly RespValue WatchInsideMulti = RespValue.Error("ERR WATCH inside MULTI is not allowed");
    public static readonly RespValue ExecAbort = RespValue.Error("EXECABORT Transaction discarded because of previous errors.");
    public static readonly RespValue NotAllowed = RespValue.Error("ERR Command not allowed inside a transaction");
    public static readonly RespValue CrossSlot = RespValue.Error("CROSSSLOT Keys in request don't hash to the same slot");

    // Run at once inside MULTI, as in Redis (QUIT, RESET) or because they end it.
    private static readonly HashSet<string> RunAtOnce = new(StringComparer.Ordinal) { "MULTI", "EXEC", "DISCARD", "WATCH", "QUIT", "RESET" };

    // Commands whose mapping changes the connection (or the node) at once: queued, they would take effect
    // before EXEC. Redis queues them; DistCache refuses them inside MULTI rather than run them early.
    private static readonly HashSet<string> ActAtOnce = new(StringComparer.Ordinal) { "AUTH", "HELLO", "CLIENT", "CONFIG", "ACL",
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE" };

    /// <summary>MULTI, EXEC, DISCARD, WATCH, UNWATCH (outside a transaction, or ending one).</summary>
    public static RespPlan Map(RespArgs args, string name, RespSession session)
    {
        var tx = session.Transaction;
        switch (name)
        {
            case "MULTI":
                if (tx.Active)
                    return new Immediate(Nested);
                tx.Begin();
                return new Immediate(RespValue.Ok);
            case "DISCARD":
                if (!tx.Active)
                    return new Immediate(DiscardWithoutMulti);
                tx.Reset();
                return new Immediate(RespValue.Ok);
            case "EXEC":
                return Exec(tx);
            case "WATCH":
                return tx.Active ? new Immediate(WatchInsideMulti) : Watch(args, tx);
            default: // UNWATCH
                // Queued inside MULTI, it runs after EXEC has checked the watches: it changes nothing then.
                if (!tx.Active)
                    tx.Unwatch();
                return new Immediate(RespValue.Ok);
        }
    }

    /// <summary>A command inside MULTI: the ones that end the transaction run; the others are mapped (by
    /// <paramref name="map"/>, with their checks) and queued, or refused, which dooms EXEC.</summary>
    public static RespPlan Queue(RespArgs args, RespSession session, Func<RespPlan> map)
    {
        var name = args.Word(0);
        if (name is not null && RunAtOnce.Contains(name))
            return map();
        var tx = session.Transaction;
        if (name is not null && ActAtOnce.Contains(name) && RespCommandTable.Find(name) is { } spec && spec.AcceptsArgCount(args.Count))
            return Refuse(tx, NotAllowed);
        var plan = map();
        switch (plan)
        {
            case Immediate { Reply: RespError } error:
                tx.Fail();
                return error;
            case Immediate immediate:
                tx.Add(new RespTransaction.Queued(immediate.Reply, [], null) { Tracked = immediate.Tracked });
                return new Immediate(Queued);
            case Deferred deferred:
                tx.Add(new RespTransaction.Queued(null, [], null) { AtExec = deferred.Run, Tracked = deferred.Tracked });
                return new Immediate(Queued);
            case ClusterCall call:
                var commands = call.Commands.Select(InOnePartition).ToArray();
                if (!commands.All(TransactionCommands.CanRunInside))
                    return Refuse(tx, NotAllowed);
                if (TransactionCommands.SlotOf(commands.SelectMany(Transaction.KeysOf)) is null)
                    return Refuse(tx, CrossSlot);
                tx.Add(new RespTransaction.Queued(null, commands, call.Answer) { Tracked = call.Tracked });
                return new Immediate(Queued);
            default:
                // Commands of many steps (KEYS, SCAN) and whatever else cannot run inside one partition.
                return Refuse(tx, NotAllowed);
        }
    }

    private static Immediate Refuse(RespTransaction tx, RespValue error)
    {
        tx.Fail();
        return new Immediate(error);
    }

    // MGET and MSET travel as their share of one partition: in a transaction every key is in one slot.
    private static IClientCommand InOnePartition(IClientCommand command) => command switch
    {
        MultiGet get => new MultiGetPart(0, get.Keys),
        MultiSet set => new MultiSetPart(0, set.Entries),
        _ => command,
    };

    private static RespPlan Watch(RespArgs args, RespTransaction tx)
    {
        var keys = Enumerable.Range(1, args.Count - 1).Select(args.Key).ToArray();
        if (TransactionCommands.SlotOf(keys) is null)
            return new Immediate(CrossSlot);
        var watch = tx.AddWatch(keys);
        return RespPlans.Call(new KeyVersions(keys), reply =>
        {
            watch.Versions = ((KeyVersionList)reply).Versions;
            return RespValue.Ok;
        });
    }

    private static RespPlan Exec(RespTransaction tx)
    {
        if (!tx.Active)
            return new Immediate(ExecWithoutMulti);
        var failed = tx.Failed;
        var queued = tx.Commands.ToArray();
        var watches = tx.Watches.ToArray();
        tx.Reset();
        if (failed)
            return new Immediate(ExecAbort);
        var commands = queued.SelectMany(q => q.Commands).ToArray();
        if (commands.Length == 0 && watches.Length == 0)
            return new Immediate(Answers(queued, []));
        var keys = watches.SelectMany(w => w.Keys).Concat(commands.SelectMany(Transaction.KeysOf));
        if (TransactionCommands.SlotOf(keys) is null)
            return new Immediate(CrossSlot);
        // Steps, not a call: it starts once every earlier reply is in, so the WATCHes before it have their versions.
        return new ClusterSteps(async execute =>
        {
            if (watches.Any(w => w.Versions is null))
                return RespValue.NullArray; // a WATCH that failed: its keys may have changed
            var conditions = watches.SelectMany(w => w.Keys.Zip(w.Versions!, (key, version) => new WatchedKey(key, version))).ToArray();
            var result = (TransactionResult)await execute(new Transaction(commands, conditions));
            return result.Replies is { } replies ? Answers(queued, replies) : RespValue.NullArray;
        }) { Tracked = Tracking.TrackedKeys.Merge(queued.Select(q => q.Tracked)) };
    }

    // Each queued command's reply from its share of the transaction's replies, as it would have been answered alone.
    private static RespArray Answers(RespTransaction.Queued[] queued, ICacheReply[] replies)
    {
        var answers = new RespValue[queued.Length];
        var next = 0;
        for (var i = 0; i < queued.Length; i++)
        {
            var command = queued[i];
            if (command.AtExec is { } run)
            {
                // After the partition has run the rest: a subscriber told of it reads the transaction's writes.
                answers[i] = run();
                continue;
            }
            if (command.Answer is null)
            {
                answers[i] = command.Reply!;
                continue;
            }
            var own = replies.AsSpan(next, command.Commands.Length).ToArray();
            next += own.Length;
            answers[i] = own.OfType<Rejected>().FirstOrDefault() is { } rejected ? RespCommands.ErrorFor(rejected) : AnswerOf(command, own);
        }
        return new RespArray(answers);
    }

    private static RespValue AnswerOf(RespTransaction.Queued command, ICacheReply[] replies)
    {
        try
        {
            return command.Answer!(replies);
        }
        catch (Exception ex)
        {
            return RespValue.Error("ERR " + ex.Message);
        }
    }
}
