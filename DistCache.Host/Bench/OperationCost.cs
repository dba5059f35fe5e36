using DistCache.Actors.Monitoring;

namespace DistCache.Host.Bench;

/// <summary>What one measured operation cost: CPU per operation in the node and in the client (from their
/// processes' CPU time), and the journal's pace under it: events (rows) written per second, client writes per
/// event (bursts), and events per SQL transaction (group commit; 0 when the store does not count commits).</summary>
public sealed record OperationCost(double NodeCpuUsPerOp, double ClientCpuUsPerOp, double JournalRowsPerSecond, double WritesPerRow, double RowsPerCommit)
{
    public static OperationCost From(JournalCounters node, TimeSpan clientCpu, long operations, double seconds)
    {
        static double Ratio(double a, double b) => b > 0 ? a / b : 0;
        return new OperationCost(
            Ratio(node.Cpu.TotalMicroseconds, operations),
            Ratio(clientCpu.TotalMicroseconds, operations),
            Ratio(node.Events, seconds),
            Ratio(node.CarriedWrites, node.Events),
            Ratio(node.Events, node.Commits));
    }
}
