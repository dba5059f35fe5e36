namespace DistCache.Protocol;

/// <summary>A message published on one node, which that node's relay sends to every other node's relay;
/// each delivers it to its own subscribers. <see cref="Sharded"/>: SPUBLISH's shard channels, a namespace
/// of their own as in Redis.</summary>
public sealed record Published(byte[] Channel, byte[] Message, bool Sharded) : IDistCacheMessage;

/// <summary>CONFIG SET notify-keyspace-events on one node, sent to every other node's keyspace notifier so
/// the setting is the cluster's, wherever a key's partition lives. <see cref="Flags"/> is the text as set;
/// <see cref="SetAtUnixMs"/> orders two settings made on different nodes (the later one wins everywhere).</summary>
public sealed record KeyspaceEventsSet(string Flags, long SetAtUnixMs) : IDistCacheMessage;
