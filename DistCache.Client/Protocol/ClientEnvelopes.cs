namespace DistCache.Protocol;

/// <summary>What a client sends: the command plus the id the client uses to match the reply.
/// The partition answers the sender directly, so no temporary actor exists per request.
/// <see cref="RequestId"/> is the same on every retry of one request, so a partition can answer a retried
/// write with its original result instead of applying it twice. <see cref="DeadlineUnixMs"/> is when the
/// caller gives up (Unix milliseconds on the caller's clock; 0: never): a partition does not apply a
/// request once that has passed, so a request that timed out either happened before or never.
/// <see cref="Partition"/> is the key's partition, computed once by the node that first received the request
/// (−1 until then), so sharding routes it by number instead of hashing the key again.</summary>
public sealed record ClientRequest(long CorrelationId, IClientCommand Command, Guid RequestId = default, long DeadlineUnixMs = 0, int Partition = -1)
    : IDistCacheMessage;

/// <summary>A keyed request that belongs to a trace: <see cref="TraceParent"/> is the W3C traceparent of the span that
/// sent it (the client's, then the gateway's). Sent only while an OpenTelemetry listener samples the request, in place
/// of the bare request: a field of every request would cost its name and a null on the wire (the serializer writes
/// field names) whether anyone listens or not.</summary>
public sealed record TracedRequest(ClientRequest Request, string TraceParent) : IDistCacheMessage;

public sealed record ClientResponse(long CorrelationId, ICacheReply Reply) : IDistCacheMessage;

/// <summary>Requests one client had queued at the same moment, sent as one message: one remote hop and
/// one envelope for all of them. Each keeps its own correlation and request id.</summary>
public sealed record ClientRequestBatch(ClientRequest[] Requests) : IDistCacheMessage;

/// <summary>Requests for one partition that one command of a node's endpoint holds (the keys of a DEL, EXISTS
/// or TOUCH), sent as one message: one envelope and one mailbox run for all of them, in order, instead of
/// one per key. Each keeps its own correlation and request id, is answered alone, and is retried alone.</summary>
public sealed record PartitionRequests(int Partition, ClientRequest[] Requests) : IDistCacheMessage;

/// <summary>Replies a node had ready for one client at the same moment, in one message.</summary>
public sealed record ClientResponseBatch(ClientResponse[] Responses) : IDistCacheMessage;
