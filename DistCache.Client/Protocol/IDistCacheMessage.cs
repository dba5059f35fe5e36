namespace DistCache.Protocol;

/// <summary>Marks every message that crosses the wire, so the serializer binding and the
/// deserialization allow-list can say "all DistCache messages" once.</summary>
public interface IDistCacheMessage;
