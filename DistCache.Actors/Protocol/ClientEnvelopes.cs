namespace DistCache.Actors.Protocol;

/// <summary>What a client sends: the command plus the id the client uses to match the reply.
/// The partition answers the sender directly, so no temporary actor exists per request.
/// <see cref="RequestId"/> is the same on every retry of one request, so a partition can answer a retried
/// write with its original result instead of applying it twice.</summary>
public sealed record ClientRequest(long CorrelationId, IClientCommand Command, Guid RequestId = default) : IDistCacheMessage;

public sealed record ClientResponse(long CorrelationId, ICacheReply Reply) : IDistCacheMessage;
