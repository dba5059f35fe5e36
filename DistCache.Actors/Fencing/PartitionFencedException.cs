namespace DistCache.Actors.Fencing;

/// <summary>A partition found, when it claimed ownership, that the journal moved on after its recovery
/// read it. Thrown so its supervisor restarts it and it recovers again.</summary>
public sealed class PartitionFencedException(string message) : Exception(message);
