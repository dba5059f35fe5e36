using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence;
using DistCache.Actors.Cluster;
using DistCache.Actors.Fencing;
using DistCache.Tests.Support;

namespace DistCache.Tests.Fencing;

/// <summary>Fencing against the real store: two journals (two actor systems, as two nodes would have)
/// writing one partition, the claim that decides which may, and the journal trigger that refuses the
/// other.</summary>
public sealed class SqliteFencingTests() : FencingTests(new NodeOptions { DataDir = Folder.Path })
{
    private static readonly TempFolder Folder = new();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresFencingTests(PostgresServer server)
    : FencingTests(new NodeOptions { DataDir = Path.GetTempPath(), Journal = "postgres", ConnectionString = server.CreateDatabase() });

public abstract class FencingTests : IAsyncLifetime
{
    private static readonly TimeSpan LongLease = TimeSpan.FromSeconds(60);
    private readonly NodeOptions _storage;
    private readonly FenceStore _store;
    private readonly ActorSystemSetup _persistence;
    private ActorSystem _a = null!, _b = null!;
    private string _writerA = "", _writerB = "";
    private readonly string _partition = "partition-fencing-" + Guid.NewGuid().ToString("N");

    protected FencingTests(NodeOptions storage)
    {
        _storage = storage;
        var settings = NodeConfigBuilder.Build(storage).Settings;
        _store = new FenceStore(settings);
        _persistence = settings.Journal == JournalKind.Sqlite
            ? PersistenceConfig.ForSqlite(settings.DataDir)
            : PersistenceConfig.ForPostgres(settings.ConnectionString, settings.DataDir);
    }

    public async Task InitializeAsync()
    {
        (_a, _writerA) = await StartJournalAsync("a");
        (_b, _writerB) = await StartJournalAsync("b");
        await _store.EnsureSchemaAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.Terminate();
        await _b.Terminate();
    }

    private async Task<(ActorSystem, string)> StartJournalAsync(string name)
    {
        var system = ActorSystem.Create("fencing-" + name, _persistence);
        var probe = "distcache-probe-" + Guid.NewGuid().ToString("N");
        await system.ActorOf(Props.Create(() => new JournalWriterProbe(probe)))
            .Ask<JournalWriterProbe.Written>(JournalWriterProbe.Write.Instance, TimeSpan.FromSeconds(30));
        return (system, await _store.ReadProbeWriterAsync(probe));
    }

    private async Task<bool> WriteAsync(ActorSystem system)
    {
        var partition = _partition;
        var writer = system.ActorOf(Props.Create(() => new EventWriter(partition)));
        return await writer.Ask<bool>(EventWriter.Write, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task One_live_writer_holds_a_partition_and_the_journal_refuses_every_other()
    {
        await _store.InsertLeaseAsync(_writerA, "127.0.0.1:1", LongLease);
        await _store.InsertLeaseAsync(_writerB, "127.0.0.1:2", LongLease);
        Assert.Equal(0, await _store.ClaimAsync(_partition, _writerA));
        Assert.Null(await _store.ClaimAsync(_partition, _writerB));

        Assert.True(await WriteAsync(_a));
        Assert.False(await WriteAsync(_b));

        // A planned move: the owner releases, the next one claims and sees every event written before.
        await _store.ReleaseAsync(_partition, _writerA);
        Assert.Equal(1, await _store.ClaimAsync(_partition, _writerB));
        Assert.False(await WriteAsync(_a));
        Assert.True(await WriteAsync(_b));
    }

    [Fact]
    public async Task A_lapsed_lease_lets_another_node_claim_and_is_never_renewed()
    {
        await _store.InsertLeaseAsync(_writerA, "127.0.0.1:1", TimeSpan.FromSeconds(1));
        await _store.InsertLeaseAsync(_writerB, "127.0.0.1:2", LongLease);
        Assert.Equal(0, await _store.ClaimAsync(_partition, _writerA));
        Assert.True(await WriteAsync(_a));

        long? claimed = null;
        await Eventually.TrueAsync(async () => (claimed = await _store.ClaimAsync(_partition, _writerB)) is not null,
            "the other node claims once the owner's lease has lapsed", TimeSpan.FromSeconds(10));
        Assert.Equal(1, claimed);
        Assert.False(await _store.RenewLeaseAsync(_writerA, LongLease, up: true));
        Assert.False(await WriteAsync(_a));
    }

    [Fact]
    public async Task A_node_without_a_live_lease_cannot_claim()
    {
        Assert.Null(await _store.ClaimAsync(_partition, _writerA));
        Assert.False(await WriteAsync(_a));
    }

    [Fact]
    public async Task A_second_node_started_alone_on_the_journal_of_a_running_cluster_joins_it()
    {
        var first = DistCacheNode.Start(_storage with { Port = FreePort.Next(), Partitions = 32, Overrides = Quiet });
        var second = (DistCacheNode?)null;
        try
        {
            await first.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
            // No --seed at all: on its own it would form a cluster of its own on the same journal.
            second = DistCacheNode.Start(_storage with { Port = FreePort.Next(), Partitions = 32, Overrides = Quiet });
            await second.WhenUp.WaitAsync(TimeSpan.FromSeconds(60));
            var members = Akka.Cluster.Cluster.Get(second.System).State.Members.Select(m => m.Address.Port).ToHashSet();
            Assert.Contains(Akka.Cluster.Cluster.Get(first.System).SelfAddress.Port, members);
        }
        finally
        {
            if (second is not null)
                await second.ShutdownAsync();
            await first.ShutdownAsync();
        }
    }

    private static readonly Config Quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING");

    /// <summary>Persists one event and says whether the journal took it.</summary>
    private sealed class EventWriter : ReceivePersistentActor
    {
        public const string Write = "write";
        private IActorRef? _replyTo;

        public EventWriter(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<string>(_ =>
            {
                _replyTo = Sender;
                Persist(new byte[] { 7 }, _ => _replyTo.Tell(true));
            });
            Recover<byte[]>(_ => { });
        }

        public override string PersistenceId { get; }

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _replyTo?.Tell(false);
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _replyTo?.Tell(false);
            base.OnPersistRejected(cause, @event, sequenceNr);
        }
    }
}
