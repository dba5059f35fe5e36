using System.Text;
using Akka.Actor;
using Akka.Configuration;
using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Partitions;

/// <summary>When each durability mode acknowledges a write, and how writes that arrive while a journal
/// write is in flight are grouped. The journal's writes wait on a gate the test opens.</summary>
public sealed class DurabilityModeTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly string _partitionId = Guid.NewGuid().ToString("N");

    public DurabilityModeTests() : base(ConfigurationFactory.ParseString(GatedJournal.Config + "\nakka.loglevel = WARNING"), "durability-tests")
    {
        GatedJournal.Reset();
    }

    void IDisposable.Dispose()
    {
        GatedJournal.Reset();
        Dispose();
    }

    private static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    private IActorRef StartPartition(DurabilityMode mode, int snapshotEvery = 1000) =>
        Sys.ActorOf(PartitionActor.Props(_partitionId, new PartitionSettings(PartitionLimits.Default, snapshotEvery, Durability: mode)));

    private void Send(IActorRef partition, long id, IClientCommand command) =>
        partition.Tell(new ClientRequest(id, command, command is IWriteCommand ? Guid.NewGuid() : Guid.Empty), TestActor);

    private ClientResponse Next() => ExpectMsg<ClientResponse>(Patience);

    private void Restart(ref IActorRef partition, DurabilityMode mode)
    {
        Watch(partition);
        partition.Tell(PoisonPill.Instance);
        ExpectTerminated(partition, Patience);
        partition = StartPartition(mode);
    }

    [Fact]
    public void Always_acknowledges_only_after_the_journal_write_and_journals_what_arrives_meanwhile_as_one_event()
    {
        var partition = StartPartition(DurabilityMode.Always);
        GatedJournal.Close();
        Send(partition, 1, new IncrementBy("n", 1));
        AwaitCondition(() => GatedJournal.WriteSizes.Count == 1, Patience);
        for (var i = 2; i <= 50; i++)
            Send(partition, i, new IncrementBy("n", 1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        GatedJournal.Open();
        for (var i = 1; i <= 50; i++)
        {
            var response = Next();
            Assert.Equal(i, response.CorrelationId);
            Assert.Equal(new CounterValue(i), response.Reply);
        }
        // The first write alone, then the 49 that queued behind it as one event (one row).
        Assert.Equal([1, 1], GatedJournal.WriteSizes.ToArray());
        Assert.Equal([1, 49], GatedJournal.WritesPerEvent.ToArray());

        Restart(ref partition, DurabilityMode.Always);
        Send(partition, 51, new IncrementBy("n", 1));
        Assert.Equal(new CounterValue(51), Next().Reply);
    }

    [Fact]
    public void Always_holds_a_read_that_saw_an_unwritten_value_until_the_write_is_stored()
    {
        var partition = StartPartition(DurabilityMode.Always);
        GatedJournal.Close();
        Send(partition, 1, new SetValue("k", Text("v")));
        Send(partition, 2, new GetValue("k"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        GatedJournal.Open();
        Assert.Equal(1, Next().CorrelationId);
        var read = Next();
        Assert.Equal(2, read.CorrelationId);
        Assert.Equal("v", Encoding.UTF8.GetString(Assert.IsType<Found>(read.Reply).Value!.Data));
    }

    [Fact]
    public void Always_holds_a_read_behind_the_waiting_burst_it_saw_and_answers_in_arrival_order()
    {
        var partition = StartPartition(DurabilityMode.Always);
        GatedJournal.Close();
        Send(partition, 1, new SetValue("a", Text("1")));
        AwaitCondition(() => GatedJournal.WriteSizes.Count == 1, Patience);
        // "b" waits in the burst behind "a"; the read saw it, so it waits for the burst, and the write
        // after the read joins the same burst and is answered after the read.
        Send(partition, 2, new SetValue("b", Text("2")));
        Send(partition, 3, new GetValue("b"));
        Send(partition, 4, new IncrementBy("n", 1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        GatedJournal.Open();
        Assert.Equal(1, Next().CorrelationId);
        Assert.Equal(2, Next().CorrelationId);
        var read = Next();
        Assert.Equal(3, read.CorrelationId);
        Assert.Equal("2", Encoding.UTF8.GetString(Assert.IsType<Found>(read.Reply).Value!.Data));
        Assert.Equal(new CounterValue(1), Next().Reply);
        Assert.Equal([1, 2], GatedJournal.WritesPerEvent.ToArray());
    }

    [Fact]
    public void Always_answers_a_read_at_once_when_no_write_is_pending()
    {
        var partition = StartPartition(DurabilityMode.Always);
        Send(partition, 1, new SetValue("k", Text("v")));
        Next();
        GatedJournal.Close();
        Send(partition, 2, new SetValue("other", Text("w")));
        Send(partition, 3, new GetValue("k"));
        // The read waits behind the pending write, whatever key it concerns (one order per partition).
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        GatedJournal.Open();
        Assert.Equal(2, Next().CorrelationId);
        Assert.Equal(3, Next().CorrelationId);

        Send(partition, 4, new GetValue("other"));
        Assert.Equal("w", Encoding.UTF8.GetString(Assert.IsType<Found>(Next().Reply).Value!.Data));
    }

    [Fact]
    public void Batched_acknowledges_before_the_journal_write_and_stores_it_right_behind()
    {
        var partition = StartPartition(DurabilityMode.Batched);
        GatedJournal.Close();
        Send(partition, 1, new SetValue("k", Text("v")));
        Send(partition, 2, new IncrementBy("n", 5));
        Assert.Equal(Stored.Instance, Next().Reply);
        Assert.Equal(new CounterValue(5), Next().Reply);
        Send(partition, 3, new GetValue("k"));
        Assert.IsType<Found>(Next().Reply);
        AwaitCondition(() => GatedJournal.WriteSizes.Count >= 1, Patience);

        GatedJournal.Open();
        AwaitCondition(() => GatedJournal.WriteSizes.Sum() == 2, Patience);
        Restart(ref partition, DurabilityMode.Batched);
        Send(partition, 4, new GetValue("k"));
        Assert.Equal("v", Encoding.UTF8.GetString(Assert.IsType<Found>(Next().Reply).Value!.Data));
        Send(partition, 5, new IncrementBy("n", 1));
        Assert.Equal(new CounterValue(6), Next().Reply);
    }

    [Fact]
    public void Batched_acknowledges_a_bounded_backlog_and_then_waits_for_the_journal()
    {
        var partition = StartPartition(DurabilityMode.Batched);
        GatedJournal.Close();
        const int over = 5;
        for (var i = 1; i <= PartitionActor.MaxUnwrittenBatched + over; i++)
            Send(partition, i, new IncrementBy("n", 1));
        for (var i = 1; i <= PartitionActor.MaxUnwrittenBatched; i++)
            Assert.Equal(new CounterValue(i), Next().Reply);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        GatedJournal.Open();
        for (var i = PartitionActor.MaxUnwrittenBatched + 1; i <= PartitionActor.MaxUnwrittenBatched + over; i++)
            Assert.Equal(new CounterValue(i), Next().Reply);
    }

    [Fact]
    public void A_hand_off_waits_for_the_writes_it_acknowledged_and_answers_nothing_new()
    {
        var partition = StartPartition(DurabilityMode.Batched);
        GatedJournal.Close();
        Send(partition, 1, new SetValue("a", Text("1")));
        Send(partition, 2, new SetValue("b", Text("2")));
        Assert.Equal(Stored.Instance, Next().Reply);
        Assert.Equal(Stored.Instance, Next().Reply);

        Watch(partition);
        partition.Tell(StopPartition.Instance);
        Send(partition, 3, new SetValue("c", Text("3")));
        // Still writing "a" and "b": it does not stop yet, and it leaves the late request to the client's retry.
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        GatedJournal.Open();
        ExpectTerminated(partition, Patience);
        partition = StartPartition(DurabilityMode.Batched);
        Send(partition, 4, new MultiGetPart(0, ["a", "b", "c"]));
        var values = Assert.IsType<Values>(Next().Reply).Items;
        Assert.Equal(["1", "2"], values.Take(2).Select(v => Encoding.UTF8.GetString(v!.Data)));
        Assert.Null(values[2]);
    }

    [Fact]
    public void None_journals_nothing_and_a_restarted_partition_starts_empty()
    {
        var partition = StartPartition(DurabilityMode.None);
        GatedJournal.Close();
        Send(partition, 1, new SetValue("k", Text("v")));
        Assert.Equal(Stored.Instance, Next().Reply);
        Send(partition, 2, new GetValue("k"));
        Assert.IsType<Found>(Next().Reply);
        Assert.Empty(GatedJournal.WriteSizes);

        GatedJournal.Open();
        Restart(ref partition, DurabilityMode.None);
        Send(partition, 3, new KeyExists("k"));
        Assert.Equal(new Existence(false), Next().Reply);
        Assert.Empty(GatedJournal.WriteSizes);
    }

    [Fact]
    public void Under_writes_that_never_pause_a_partition_still_snapshots_and_recovers_the_same_state()
    {
        var partition = StartPartition(DurabilityMode.Always, snapshotEvery: 10);
        GatedJournal.WriteDelay = TimeSpan.FromMilliseconds(20);
        const int total = 200;
        // Eight writes outstanding at every moment and 20 ms per journal write: the next write always
        // arrives before the unwritten ones land, so a partition that waited for no write to be pending
        // would never snapshot.
        var sent = 0;
        while (sent < 8)
            Send(partition, ++sent, new IncrementBy("n", 1));
        for (var received = 1; received <= total; received++)
        {
            var response = Next();
            Assert.Equal(received, response.CorrelationId);
            Assert.Equal(received, Assert.IsType<CounterValue>(response.Reply).Value);
            if (sent < total)
                Send(partition, ++sent, new IncrementBy("n", 1));
        }
        // The journal is trimmed after each snapshot is saved, asynchronously to the replies.
        AwaitAssert(() =>
        {
            var deleted = GatedJournal.DeletedUpTo.ToArray();
            Assert.True(deleted.Length >= 5,
                $"snapshots while writes kept arriving: {deleted.Length} (deleted up to {string.Join(", ", deleted)})");
        }, Patience);

        Send(partition, 300, new GetWithVersion("n"));
        var before = Assert.IsType<FoundVersioned>(Next().Reply);
        Restart(ref partition, DurabilityMode.Always);
        Send(partition, 301, new GetWithVersion("n"));
        var after = Assert.IsType<FoundVersioned>(Next().Reply);
        // No event applied twice (a snapshot holding an unwritten event would replay it again).
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Value!.Data, after.Value!.Data);
    }
}
