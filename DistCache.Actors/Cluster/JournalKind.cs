namespace DistCache.Actors.Cluster;

/// <summary>Where a node keeps its journal and snapshots.</summary>
public enum JournalKind
{
    /// <summary>Embedded, zero set-up; shared by processes on one machine.</summary>
    Sqlite,

    /// <summary>For clusters spread over machines.</summary>
    Postgres,
}
