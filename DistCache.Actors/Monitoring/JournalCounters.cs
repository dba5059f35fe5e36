namespace DistCache.Actors.Monitoring;

/// <summary>A node's journal counters at one moment: events written, the client writes they carried, SQL
/// transactions committed (SQLite only), and the process's CPU time. Two of them, subtracted, give a
/// benchmark's journal rows per second, writes per event, events per commit and CPU per write.</summary>
public sealed record JournalCounters(long Events, long CarriedWrites, long Commits, TimeSpan Cpu)
{
    public JournalCounters Minus(JournalCounters earlier) =>
        new(Events - earlier.Events, CarriedWrites - earlier.CarriedWrites, Commits - earlier.Commits, Cpu - earlier.Cpu);
}
