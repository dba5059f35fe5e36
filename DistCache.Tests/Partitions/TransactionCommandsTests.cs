using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

/// <summary>MULTI/EXEC in one partition as plain logic: commands run in order, each seeing the one before; a
/// refused command takes its slot while the others apply (Redis has no rollback); WATCH's versions abort it;
/// the whole transaction is one journaled event that recovery replays to the same state, and a retried EXEC
/// (same request id) is answered as the first one and applies nothing again.</summary>
public class TransactionCommandsTests
{
    private readonly ManualClock _clock = new();
    private readonly PartitionTestHarness _p;

    public TransactionCommandsTests() => _p = new PartitionTestHarness(() => new PartitionState(new PartitionLimits(64, 64), clock: _clock));

    // A counter is stored as a number; read as Redis shows it.
    private static string? Shown(ICacheReply reply) =>
        Assert.IsType<Found>(reply).Value is { } v ? System.Text.Encoding.UTF8.GetString(DistCache.Client.ValueCodec.ToBytes(v)) : null;

    private static Transaction Tx(params IClientCommand[] commands) => new(commands, []);

    private long VersionOf(string key) => Assert.IsType<KeyVersionList>(_p.Run(new KeyVersions([key]))).Versions[0];

    private static string Describe(PartitionState state) => string.Join("\n", state.ToSnapshot().Entries.OrderBy(e => e.Key).Select(e =>
        $"{e.Key} v{e.Version} x{e.ExpiresAt} " + (e.List is { } list
            ? "list " + string.Join(",", list.Select(Convert.ToHexString))
            : "string " + Convert.ToHexString(e.Value.Data))));

    [Fact]
    public void Commands_run_in_order_each_seeing_the_one_before_and_are_journaled_as_one_event()
    {
        _p.Run(new SetValue("{t}n", Text("1")));
        var before = _p.Journal.Count;
        var result = Assert.IsType<TransactionResult>(_p.Run(Tx(
            new IncrementBy("{t}n", 1),
            new IncrementBy("{t}n", 10),
            new GetValue("{t}n"),
            new AppendValue("{t}s", "ab"u8.ToArray()),
            new MultiGetPart(0, ["{t}n", "{t}s", "{t}none"]))));

        Assert.True(result.Committed);
        Assert.Equal(new CounterValue(2), result.Replies![0]);
        Assert.Equal(new CounterValue(12), result.Replies[1]);
        Assert.Equal("12", Shown(result.Replies[2]));
        Assert.Equal(new CounterValue(2), result.Replies[3]);
        Assert.Null(Assert.IsType<Values>(result.Replies[4]).Items[2]);
        var evt = Assert.IsType<PartitionChanged>(Assert.Single(_p.Journal.Skip(before)));
        Assert.Same(result, evt.Reply);
        Assert.Equal(3, evt.Changes.Length);
        Assert.Equal("12", Shown(_p.Run(new GetValue("{t}n"))));
    }

    [Fact]
    public void A_refused_command_answers_its_error_in_its_slot_and_the_others_still_apply()
    {
        var result = Assert.IsType<TransactionResult>(_p.Run(Tx(
            new SetValue("{t}a", Text("x")),
            new IncrementBy("{t}a", 1),
            new ListPush("{t}a", ["e"u8.ToArray()], Left: true),
            new SetValue("{t}b", Text("y")))));

        Assert.Equal(Stored.Instance, result.Replies![0]);
        Assert.Equal(new Rejected(CacheErrorCode.NotAnInteger), result.Replies[1]);
        Assert.Equal(CacheErrorCode.WrongType, Assert.IsType<Rejected>(result.Replies[2]).Code);
        Assert.Equal(Stored.Instance, result.Replies[3]);
        Assert.Equal("x", TextOf(_p.Run(new GetValue("{t}a"))));
        Assert.Equal("y", TextOf(_p.Run(new GetValue("{t}b"))));
    }

    [Fact]
    public void A_watched_key_written_since_aborts_the_transaction_and_nothing_runs()
    {
        _p.Run(new SetValue("{t}w", Text("1")));
        var watched = new WatchedKey("{t}w", VersionOf("{t}w"));
        _p.Run(new SetValue("{t}w", Text("1"))); // the same value: still a write, as in Redis
        var before = _p.Journal.Count;

        var result = _p.Run(new Transaction([new SetValue("{t}x", Text("set"))], [watched]));

        Assert.Same(TransactionResult.Aborted, result);
        Assert.Equal(before, _p.Journal.Count);
        Assert.Null(TextOf(_p.Run(new GetValue("{t}x"))));
        // Watched afresh, it commits.
        var again = _p.Run(new Transaction([new SetValue("{t}x", Text("set"))], [new WatchedKey("{t}w", VersionOf("{t}w"))]));
        Assert.True(Assert.IsType<TransactionResult>(again).Committed);
    }

    [Fact]
    public void Expiry_and_deletion_of_a_watched_key_abort_while_a_key_missing_then_and_now_does_not()
    {
        _p.Run(new SetValue("{t}e", Text("1"), Expiry.After(TimeSpan.FromSeconds(5))));
        _p.Run(new SetValue("{t}d", Text("1")));
        var expiring = new WatchedKey("{t}e", VersionOf("{t}e"));
        var deleted = new WatchedKey("{t}d", VersionOf("{t}d"));
        var missing = new WatchedKey("{t}m", VersionOf("{t}m"));
        Assert.True(missing.Version < 0, "a missing key is watched with the partition's stamp, negated");
        IClientCommand[] work = [new IncrementBy("{t}c", 1)];

        Assert.True(Assert.IsType<TransactionResult>(_p.Run(new Transaction(work, [expiring, deleted, missing]))).Committed);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.False(Assert.IsType<TransactionResult>(_p.Run(new Transaction(work, [expiring]))).Committed);
        _p.Run(new DeleteKey("{t}d"));
        Assert.False(Assert.IsType<TransactionResult>(_p.Run(new Transaction(work, [deleted]))).Committed);
        Assert.True(Assert.IsType<TransactionResult>(_p.Run(new Transaction(work, [missing]))).Committed);
        Assert.Equal(new CounterValue(3), _p.Run(new IncrementBy("{t}c", 1)));
    }

    [Fact]
    public void A_missing_key_created_and_removed_again_after_watch_aborts_as_in_redis()
    {
        IClientCommand[] work = [new IncrementBy("{t}c", 1)];
        TransactionResult Exec(WatchedKey watch) => Assert.IsType<TransactionResult>(_p.Run(new Transaction(work, [watch])));

        var deleted = new WatchedKey("{t}m", VersionOf("{t}m"));
        _p.Run(new SetValue("{t}m", Text("1")));
        _p.Run(new DeleteKey("{t}m"));
        Assert.False(Exec(deleted).Committed);

        var expired = new WatchedKey("{t}e", VersionOf("{t}e"));
        _p.Run(new SetValue("{t}e", Text("1"), Expiry.After(TimeSpan.FromSeconds(1))));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(Exec(expired).Committed);

        var flushed = new WatchedKey("{t}f", VersionOf("{t}f"));
        _p.Run(new SetValue("{t}f", Text("1")));
        _p.Run(new FlushPart(0));
        Assert.False(Exec(flushed).Committed);

        // Another key of the partition created and removed, a flush of nothing new, and plain writes: unchanged.
        var untouched = new WatchedKey("{t}u", VersionOf("{t}u"));
        _p.Run(new SetValue("{t}other", Text("1")));
        _p.Run(new DeleteKey("{t}other"));
        _p.Run(new DeleteKey("{t}u"));
        Assert.True(Exec(untouched).Committed);
        var beforeFlush = new WatchedKey("{t}v", VersionOf("{t}v"));
        _p.Run(new FlushPart(0));
        Assert.True(Exec(beforeFlush).Committed);
        // The .NET client's WhenUnchanged(key, 0) keeps its meaning: missing then and now.
        _p.Run(new SetValue("{t}z", Text("1")));
        _p.Run(new DeleteKey("{t}z"));
        Assert.True(Exec(new WatchedKey("{t}z", 0)).Committed);
    }

    [Fact]
    public void A_retried_exec_gets_the_first_reply_and_applies_nothing_again_also_after_recovery()
    {
        var exec = Guid.NewGuid();
        var tx = Tx(new IncrementBy("{t}c", 5), new ListPush("{t}l", ["a"u8.ToArray(), "b"u8.ToArray()], Left: false), new GetValue("{t}c"));
        var first = Assert.IsType<TransactionResult>(_p.Run(tx, exec));
        var retry = _p.State.Decide(tx, exec);

        Assert.Null(retry.Event);
        Assert.Same(first, retry.Reply);
        foreach (var recovered in new[] { _p.Recover(), Restored() })
        {
            var again = recovered.Decide(tx, exec);
            Assert.Null(again.Event);
            var replies = Assert.IsType<TransactionResult>(again.Reply).Replies!;
            Assert.Equal(first.Replies!.Take(2), replies.Take(2));
            Assert.Equal("5", Shown(replies[2]));
        }
        Assert.Equal(new CounterValue(6), _p.Run(new IncrementBy("{t}c", 1)));

        PartitionState Restored()
        {
            var state = new PartitionState(new PartitionLimits(64, 64), clock: _clock);
            state.Restore(_p.State.ToSnapshot());
            return state;
        }
    }

    [Fact]
    public void The_one_event_applied_to_a_fresh_partition_gives_the_same_state()
    {
        _p.Run(new SetValue("{t}a", Text("1"), Expiry.After(TimeSpan.FromMinutes(1))));
        _p.Run(Tx(
            new IncrementBy("{t}a", 41),
            new ListPush("{t}l", ["x"u8.ToArray(), "y"u8.ToArray()], Left: true),
            new ListPop("{t}l", Left: true, 1),
            new DeleteKey("{t}gone"),
            new RenameKey("{t}a", "{t}b"),
            new SetValue("{t}c", Text("v"))));

        var recovered = _p.Recover();
        Assert.Equal(Describe(_p.State), Describe(recovered));
        Assert.Equal(_p.State.UsedBytes, recovered.UsedBytes);
        Assert.Equal("42", Shown(recovered.Decide(new GetValue("{t}b")).Reply));
    }

    [Fact]
    public void Reads_alone_journal_nothing()
    {
        _p.Run(new SetValue("{t}a", Text("1")));
        var before = _p.Journal.Count;
        var result = Assert.IsType<TransactionResult>(_p.Run(Tx(new GetValue("{t}a"), new KeyExists("{t}b"))));
        Assert.Equal(before, _p.Journal.Count);
        Assert.Equal(new Existence(false), result.Replies![1]);
    }

    [Fact]
    public void The_edge_refuses_keys_in_two_slots_and_commands_a_transaction_cannot_hold()
    {
        var limits = new PartitionLimits(64, 64);
        Assert.Null(CommandValidator.Validate(new Transaction([new SetValue("{t}a", Text("1"))], [new WatchedKey("{t}b", 0)]), limits, 16));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot),
            CommandValidator.Validate(new Transaction([new SetValue("{t}a", Text("1")), new GetValue("other")], []), limits, 16));
        Assert.Equal(new Rejected(CacheErrorCode.CrossSlot),
            CommandValidator.Validate(new Transaction([new SetValue("{t}a", Text("1"))], [new WatchedKey("elsewhere", 0)]), limits, 16));
        Assert.Equal(new Rejected(CacheErrorCode.NotInTransaction),
            CommandValidator.Validate(Tx(new SetValue("{t}a", Text("1")), CountKeys.Instance), limits, 16));
        Assert.Equal(new Rejected(CacheErrorCode.NotInTransaction),
            CommandValidator.Validate(Tx(Tx(new SetValue("{t}a", Text("1")))), limits, 16));
        Assert.Equal(new Rejected(CacheErrorCode.NotInTransaction),
            CommandValidator.Validate(Tx(new BlockingCall(new ListPop("{t}l", true), ["{t}l"], 100)), limits, 16));
        Assert.Equal(CacheErrorCode.KeyTooLong,
            CommandValidator.Validate(Tx(new SetValue(new string('k', 100), Text("1"))), limits, 16)!.Code);
    }
}
