namespace DistCache.Telemetry;

/// <summary>The names under which DistCache reports to OpenTelemetry (or any <c>ActivityListener</c> and
/// <c>MeterListener</c>): subscribe to <see cref="ClientSource"/> in an application that uses the .NET client,
/// to <see cref="NodeSource"/> in a node. Spans and instruments cost a check of a flag while nobody listens.</summary>
public static class DistCacheTelemetry
{
    /// <summary>The .NET client's ActivitySource and Meter.</summary>
    public const string ClientSource = "DistCache.Client";

    /// <summary>A node's ActivitySource and Meter.</summary>
    public const string NodeSource = "DistCache.Node";

    /// <summary>A client's request, from the call to its reply (kind Client).</summary>
    public const string ClientRequestSpan = "distcache.client.request";

    /// <summary>The gateway of the node a client's request reached, routing it to its partition (kind Server).</summary>
    public const string GatewaySpan = "distcache.gateway.route";

    /// <summary>The partition that served a request, from receiving it to its reply (a write in mode always:
    /// after its journal write).</summary>
    public const string PartitionSpan = "distcache.partition.execute";

    /// <summary>A partition's journal write of one event (the writes of a burst), from persist to confirmation.</summary>
    public const string JournalSpan = "distcache.journal.commit";

    /// <summary>The command's type name (SetValue, GetValue, IncrementBy …).</summary>
    public const string OperationAttribute = "distcache.operation";

    /// <summary>The partition number a request was routed to or served by.</summary>
    public const string PartitionAttribute = "distcache.partition";

    /// <summary>The Akka address of the node (akka.tcp://distcache@host:port).</summary>
    public const string NodeAttribute = "distcache.node";

    /// <summary>Gateway: local when the partition serves on the node, forwarded through the shard region otherwise.</summary>
    public const string RouteAttribute = "distcache.route";

    /// <summary>Journal: how many client writes the event carried.</summary>
    public const string WritesAttribute = "distcache.journal.writes";
}
