using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;
using static DistCache.Tests.Partitions.PartitionTestHarness;

namespace DistCache.Tests.Partitions;

/// <summary>WATCH and a key's time to live, as Redis 7 has them: a command that changes only the time to live
/// (EXPIRE and its forms, PERSIST, GETEX with an option) calls signalModifiedKey, so it aborts EXEC and moves
/// the key's version, which CAS and the .NET client's WhenUnchanged compare too. One that leaves it as it was
/// (a refused EXPIRE NX, PERSIST of a key without one, a read) does not; nor does a read of a key whose
/// expiry slides, though it moves the expiry.</summary>
public sealed class WatchTimeToLiveTests
{
    private readonly ManualClock _clock = new();
    private readonly PartitionTestHarness _p;

    public WatchTimeToLiveTests() => _p = new PartitionTestHarness(() => new PartitionState(new PartitionLimits(64, 64), clock: _clock));

    private long VersionOf(string key) => Assert.IsType<KeyVersionList>(_p.Run(new KeyVersions([key]))).Versions[0];

    private bool Commits(WatchedKey watched) =>
        Assert.IsType<TransactionResult>(_p.Run(new Transaction([new IncrementBy("{t}c", 1)], [watched]))).Committed;

    private IClientCommand Command(string name, string key) => name switch
    {
        "EXPIRE" => new ExpireKey(key, Expiry.After(TimeSpan.FromSeconds(100))),
        "PEXPIRE" => new ExpireKey(key, Expiry.After(TimeSpan.FromMilliseconds(100_500))),
        "EXPIREAT" => new ExpireKey(key, Expiry.At(_clock.GetUtcNow().AddHours(1))),
        "EXPIRE GT" => new ExpireKey(key, Expiry.After(TimeSpan.FromHours(2)), ExpireConditions.IfLater),
        "PERSIST" => new PersistKey(key),
        "GETEX EX" => new GetAndExpire(key, Expiry.After(TimeSpan.FromSeconds(100))),
        "GETEX PERSIST" => new GetAndExpire(key, Expiry.Clear),
        "EXPIRE NX" => new ExpireKey(key, Expiry.After(TimeSpan.FromSeconds(100)), ExpireConditions.IfNoExpiry),
        "GETEX" => new GetAndExpire(key, Expiry.Keep),
        "TTL" => new TimeToLive(key),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("EXPIRE", true)]
    [InlineData("PEXPIRE", true)]
    [InlineData("EXPIREAT", true)]
    [InlineData("EXPIRE GT", true)]
    [InlineData("PERSIST", true)]
    [InlineData("GETEX EX", true)]
    [InlineData("GETEX PERSIST", true)]
    [InlineData("EXPIRE NX", false)]
    [InlineData("GETEX", false)]
    [InlineData("TTL", false)]
    public void Exec_aborts_and_the_key_takes_a_new_version_exactly_when_its_time_to_live_changed(string command, bool changes)
    {
        _p.Run(new SetValue("{t}k", Text("v"), Expiry.After(TimeSpan.FromMinutes(1))));
        var watched = new WatchedKey("{t}k", VersionOf("{t}k"));

        _p.Run(Command(command, "{t}k"));

        Assert.Equal(changes, watched.Version != VersionOf("{t}k"));
        Assert.Equal(changes, !Commits(watched));
        Assert.True(Commits(new WatchedKey("{t}k", VersionOf("{t}k"))));
    }

    [Theory]
    [InlineData("PERSIST")]
    [InlineData("GETEX PERSIST")]
    public void Persist_of_a_key_without_a_time_to_live_changes_nothing_and_journals_nothing(string command)
    {
        _p.Run(new SetValue("{t}k", Text("v")));
        var watched = new WatchedKey("{t}k", VersionOf("{t}k"));
        var journaled = _p.Journal.Count;

        _p.Run(Command(command, "{t}k"));

        Assert.Equal(journaled, _p.Journal.Count);
        Assert.True(Commits(watched));
    }

    [Fact]
    public void A_cas_with_the_version_read_before_an_expire_is_refused()
    {
        _p.Run(new SetValue("{t}k", Text("v")));
        var read = Assert.IsType<FoundVersioned>(_p.Run(new GetWithVersion("{t}k")));

        _p.Run(Command("EXPIRE", "{t}k"));

        Assert.False(Assert.IsType<CasResult>(_p.Run(new CompareAndSet("{t}k", Text("w"), read.Version))).Applied);
    }

    [Fact]
    public void A_read_of_a_sliding_key_moves_its_expiry_but_not_its_version_while_an_expire_of_it_does()
    {
        _p.Run(new SetValue("{t}s", Text("v"), Expiry.Sliding(TimeSpan.FromSeconds(10))));
        var watched = new WatchedKey("{t}s", VersionOf("{t}s"));
        var expiresAt = Assert.IsType<CounterValue>(_p.Run(new ExpireTime("{t}s"))).Value;
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("v", TextOf(_p.Run(new GetValue("{t}s"))));

        Assert.True(Assert.IsType<CounterValue>(_p.Run(new ExpireTime("{t}s"))).Value > expiresAt);
        Assert.True(Commits(watched));
        Assert.True(Assert.IsType<CasResult>(_p.Run(new CompareAndSet("{t}s", Text("w"), watched.Version, Expiry.Keep))).Applied);
        var afterCas = new WatchedKey("{t}s", VersionOf("{t}s"));
        _p.Run(new PersistKey("{t}s"));
        Assert.False(Commits(afterCas));
    }

    [Fact]
    public void Recovery_gives_every_key_the_version_it_had_live()
    {
        _p.Run(new SetValue("{t}k", Text("v")));
        _p.Run(Command("EXPIRE", "{t}k"));
        _p.Run(new SetValue("{t}s", Text("v"), Expiry.Sliding(TimeSpan.FromSeconds(10))));
        _clock.Advance(TimeSpan.FromSeconds(1));
        _p.Run(new GetValue("{t}s"));
        _p.Run(new Transaction([Command("PERSIST", "{t}k"), new GetValue("{t}s")], []));
        var live = (VersionOf("{t}k"), VersionOf("{t}s"));

        var recovered = _p.Recover();

        Assert.Equal(live, Versions(recovered));
        var restored = new PartitionState(new PartitionLimits(64, 64), clock: _clock);
        restored.Restore(recovered.ToSnapshot());
        Assert.Equal(live, Versions(restored));

        static (long, long) Versions(PartitionState state)
        {
            var versions = Assert.IsType<KeyVersionList>(state.Decide(new KeyVersions(["{t}k", "{t}s"])).Reply).Versions;
            return (versions[0], versions[1]);
        }
    }
}
