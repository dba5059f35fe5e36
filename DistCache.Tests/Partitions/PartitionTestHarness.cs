using System.Text;
using DistCache.Actors.Partitions;
using DistCache.Protocol;

namespace DistCache.Tests.Partitions;

/// <summary>Runs commands through a <see cref="PartitionState"/> the way the actor does: decide, then apply
/// the event. Keeps every event, so a test can replay them into a fresh state as recovery would.</summary>
public sealed class PartitionTestHarness
{
    private readonly Func<PartitionState> _create;

    public PartitionTestHarness(Func<PartitionState> create)
    {
        _create = create;
        State = create();
    }

    public PartitionState State { get; }
    public List<ICacheEvent> Journal { get; } = [];

    public ICacheReply Run(IClientCommand command, Guid requestId = default)
    {
        var decision = State.Decide(command, requestId == default ? Guid.NewGuid() : requestId);
        if (decision.Event is not null)
        {
            State.Commit(decision);
            Journal.Add(decision.Event);
        }
        return decision.Reply;
    }

    /// <summary>A new state recovered from the journal (and optionally a snapshot taken first).</summary>
    public PartitionState Recover(PartitionSnapshot? snapshot = null, int skipEvents = 0)
    {
        var state = _create();
        if (snapshot is not null)
            state.Restore(snapshot);
        foreach (var evt in Journal.Skip(skipEvents))
            state.Apply(evt);
        state.RemoveExpired();
        return state;
    }

    public static CacheValue Text(string s) => new(ValueKind.String, Encoding.UTF8.GetBytes(s));

    public static string? TextOf(ICacheReply reply) =>
        Assert.IsType<Found>(reply).Value is { } v ? Encoding.UTF8.GetString(v.Data) : null;
}
