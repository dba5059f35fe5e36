using Akka.Actor.Setup;
using DistCache.Actors.Monitoring;

namespace DistCache.Actors.Journal;

/// <summary>Hands the node's metrics to the SQLite journal writer (a journal is created by Akka.Persistence
/// from its class name, so it can be given nothing but configuration and the actor system's setups).</summary>
public sealed class JournalMetricsSetup(NodeMetrics metrics) : Setup
{
    public NodeMetrics Metrics { get; } = metrics;
}
