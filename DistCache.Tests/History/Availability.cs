namespace DistCache.Tests.History;

/// <summary>How long the keys went unanswered after each fault: for every fault, the longest stretch in
/// which some key had no operation answered, from the fault's start until the next fault (or the end of the
/// workload). With callers hitting every key many times a second, that is the key's outage.</summary>
public static class Availability
{
    public static IReadOnlyList<string> Describe(IReadOnlyList<Operation> operations, IReadOnlyList<FaultRecord> faults, TimeSpan end)
    {
        var answers = operations.Where(o => o.Outcome == OperationOutcome.Ok)
            .GroupBy(o => o.Key)
            .ToDictionary(g => g.Key, g => g.Select(o => o.Completed).Order().ToList());
        var lines = new List<string>();
        for (var i = 0; i < faults.Count; i++)
        {
            var from = faults[i].At;
            var until = i + 1 < faults.Count ? faults[i + 1].At : end;
            var (longest, key) = answers.Select(a => (Gap: LongestGap(a.Value, from, until), Key: a.Key)).MaxBy(g => g.Gap);
            lines.Add($"  {Operation.Seconds(from)}  {faults[i].Name}: longest without an answer {longest.TotalSeconds:0.0} s (key {key}; "
                + $"window {(until - from).TotalSeconds:0} s){(faults[i].Outcome.Length > 0 ? "; " + faults[i].Outcome : "")}");
        }
        return lines;
    }

    private static TimeSpan LongestGap(List<TimeSpan> completions, TimeSpan from, TimeSpan until)
    {
        var (previous, longest) = (from, TimeSpan.Zero);
        foreach (var at in completions.Where(c => c >= from && c < until))
            (previous, longest) = (at, at - previous > longest ? at - previous : longest);
        return until - previous > longest ? until - previous : longest;
    }
}
