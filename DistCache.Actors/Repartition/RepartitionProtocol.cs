using DistCache.Actors.Partitions;

namespace DistCache.Actors.Repartition;

/// <summary>A stored partition's contents as recovery left them, and the sequence number they reach.</summary>
public sealed record StoredPartitionRecovered(PartitionSnapshot Contents, long SequenceNr);

/// <summary>Replace the stored partition's contents: a snapshot at its last sequence number, then the
/// events and older snapshots it covers are deleted.</summary>
public sealed record InstallContents(PartitionSnapshot Contents);

/// <summary>The contents are stored (<see cref="Failure"/> null) or could not be (the snapshot failed; the old
/// contents are still what recovery reads).</summary>
public sealed record ContentsInstalled(string PersistenceId, Exception? Failure);
