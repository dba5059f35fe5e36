using DistCache.Actors.Cluster;

namespace DistCache.Actors.Fencing;

/// <summary>The SQL of fencing in the two dialects DistCache stores in. Times are milliseconds since the
/// epoch on the database's clock (for SQLite, the clock of the one machine every process shares), so
/// lease expiry is compared on one clock whatever the nodes' clocks say.</summary>
public sealed class FenceSql
{
    private FenceSql(JournalKind kind) => Kind = kind;

    public JournalKind Kind { get; }

    public static FenceSql For(JournalKind kind) => new(kind);

    public string Now => Kind == JournalKind.Sqlite
        ? "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
        : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    /// <summary>Tables of node leases and partition owners. Run once per node start, after the journal's
    /// own tables exist (the trigger is on the journal table).</summary>
    public IEnumerable<string> Schema()
    {
        yield return """
            CREATE TABLE IF NOT EXISTS distcache_nodes (
              writer VARCHAR(128) PRIMARY KEY,
              address VARCHAR(300) NOT NULL,
              up INTEGER NOT NULL,
              expires_ms BIGINT NOT NULL)
            """;
        yield return """
            CREATE TABLE IF NOT EXISTS distcache_owners (
              persistence_id VARCHAR(255) PRIMARY KEY,
              writer VARCHAR(128) NOT NULL,
              released INTEGER NOT NULL)
            """;
        if (Kind == JournalKind.Sqlite)
        {
            // The journal writer (GroupCommitWriter) checks the fence once per transaction and defines
            // the function on its connection, so the per-row check is skipped for it. Every other
            // connection lacks the function, so its INSERT fails to prepare: a node of a release that wrote
            // through the trigger alone cannot write unfenced once a newer node has used the file. SQLite
            // runs one write transaction at a time, so the trigger's read of the owner row and the insert it
            // guards cannot interleave with a claim. Replaced on every start: files written by an older
            // release carry the per-row trigger without the function.
            yield return "DROP TRIGGER IF EXISTS distcache_fence";
            yield return $$"""
                CREATE TRIGGER distcache_fence BEFORE INSERT ON journal
                FOR EACH ROW WHEN {{WriterChecksFence}}() = 0 AND NEW.persistence_id LIKE 'partition-%' AND NOT EXISTS (
                  SELECT 1 FROM distcache_owners o
                  WHERE o.persistence_id = NEW.persistence_id AND o.writer = NEW.writer_uuid AND o.released = 0)
                BEGIN
                  SELECT RAISE(ABORT, 'distcache: fenced: this partition is owned by another node incarnation');
                END
                """;
        }
        else
        {
            // FOR SHARE makes a claim (an UPDATE of the owner row) wait for journal inserts that already
            // read the row, and those that come after the claim read the new owner: no insert of a
            // superseded incarnation can commit after the claim.
            yield return """
                CREATE OR REPLACE FUNCTION distcache_fence() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.persistence_id LIKE 'partition-%' THEN
                    PERFORM 1 FROM distcache_owners o
                      WHERE o.persistence_id = NEW.persistence_id AND o.writer = NEW.writer_uuid AND o.released = 0
                      FOR SHARE;
                    IF NOT FOUND THEN
                      RAISE EXCEPTION 'distcache: fenced: % is owned by another node incarnation', NEW.persistence_id;
                    END IF;
                  END IF;
                  RETURN NEW;
                END $$
                """;
            yield return "CREATE OR REPLACE TRIGGER distcache_fence BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION distcache_fence()";
        }
    }

    /// <summary>The SQL function only the SQLite journal writer's connection defines (returning 1): the
    /// fence trigger skips its per-row check for that connection, which checks once per group.</summary>
    public const string WriterChecksFence = "distcache_writer_checks_fence";

    /// <summary>Journal rows under fencing: the partitions' (probes and sharding's rows are not).</summary>
    public static bool IsFencedId(string persistenceId) => persistenceId.StartsWith("partition-", StringComparison.Ordinal);

    /// <summary>Of the partitions in <c>$ids</c> (a JSON array), those <c>$writer</c> owns now (SQLite).</summary>
    public const string OwnedOf = """
        SELECT persistence_id FROM distcache_owners
        WHERE writer = $writer AND released = 0 AND persistence_id IN (SELECT value FROM json_each($ids))
        """;

    /// <summary>Serializes schema changes and cluster formation between nodes (PostgreSQL; SQLite's
    /// BEGIN IMMEDIATE already does).</summary>
    public string? Lock => Kind == JournalKind.Postgres ? "SELECT pg_advisory_xact_lock(40534053)" : null;

    public string InsertLease => $"INSERT INTO distcache_nodes (writer, address, up, expires_ms) VALUES (@writer, @address, 0, {Now} + @lease)";

    // Whoever held this address before is dead: this process has just bound the port.
    public string ExpirePredecessors => "UPDATE distcache_nodes SET expires_ms = 0 WHERE address = @address AND writer <> @writer";

    public string DeleteOldLeases => $"DELETE FROM distcache_nodes WHERE expires_ms < {Now} - 86400000";

    // A lapsed lease is never renewed: another node may already have claimed this node's partitions.
    public string RenewLease => $"UPDATE distcache_nodes SET expires_ms = {Now} + @lease, up = @up WHERE writer = @writer AND expires_ms > {Now}";

    // After a lapse: the node's partitions claim themselves again before they serve (NodeLease.Generation).
    public string RetakeLease => $"""
        INSERT INTO distcache_nodes (writer, address, up, expires_ms) VALUES (@writer, @address, @up, {Now} + @lease)
        ON CONFLICT (writer) DO UPDATE SET expires_ms = excluded.expires_ms, up = excluded.up
        """;

    public string DropLease => "DELETE FROM distcache_nodes WHERE writer = @writer";

    public string LiveOthers => $"SELECT address, up FROM distcache_nodes WHERE writer <> @writer AND expires_ms > {Now}";

    public string MarkForming => "UPDATE distcache_nodes SET up = 1 WHERE writer = @writer";

    /// <summary>Takes a partition for this node's journal writer when nobody else can still serve it: the
    /// row is this writer's, or released, or its writer's lease has lapsed. Only a node with a live lease
    /// can claim.</summary>
    public string Claim => $"""
        INSERT INTO distcache_owners (persistence_id, writer, released)
        SELECT @pid, @writer, 0 WHERE EXISTS (SELECT 1 FROM distcache_nodes WHERE writer = @writer AND expires_ms > {Now})
        ON CONFLICT (persistence_id) DO UPDATE SET writer = excluded.writer, released = 0
        WHERE distcache_owners.writer = excluded.writer OR distcache_owners.released = 1
           OR NOT EXISTS (SELECT 1 FROM distcache_nodes n WHERE n.writer = distcache_owners.writer AND n.expires_ms > {Now})
        """;

    public string JournalHighest => "SELECT COALESCE(MAX(sequence_number), 0) FROM journal WHERE persistence_id = @pid";

    public string Release => "UPDATE distcache_owners SET released = 1 WHERE persistence_id = @pid AND writer = @writer";

    public string ProbeWriter => "SELECT writer_uuid FROM journal WHERE persistence_id = @pid";

    public string DeleteProbe => "DELETE FROM journal WHERE persistence_id = @pid";
}
