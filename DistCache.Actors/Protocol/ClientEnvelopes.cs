namespace DistCache.Actors.Protocol;

/// <summary>What a client sends: the command plus the id the client uses to match the reply.
/// The partition answers the sender directly, so no temporary actor exists per request.</summary>
public sealed record ClientRequest(long CorrelationId, ICacheCommand Command) : IDistCacheMessage;

public sealed record ClientResponse(long CorrelationId, ICacheReply Reply) : IDistCacheMessage;
