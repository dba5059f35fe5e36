namespace DistCache.Protocol;

/// <summary>A message published on one node, which that node's relay sends to every other node's relay;
/// each delivers it to its own subscribers. <see cref="Sharded"/>: SPUBLISH's shard channels, a namespace
/// of their own as in Redis.</summary>
public sealed record Published(byte[] Channel, byte[] Message, bool Sharded) : IDistCacheMessage;
