namespace DistCache.Tests.History;

/// <summary>The INCR counter (increments of 1 from a missing key, and reads). A linearizable counter hands out
/// every value once, never goes back in real time, never counts more increments than were invoked, and after
/// the callers stop it holds at least every value it acknowledged. Unanswered INCRs may have counted or not;
/// they only widen the last bound.</summary>
internal static class CounterCheck
{
    /// <summary>Witnesses shown per kind of violation; one proves it, a few show whether it is a pattern.</summary>
    private const int Shown = 3;

    public static IEnumerable<string> Violations(string key, IReadOnlyList<Operation> operations)
    {
        var answered = operations.Where(o => o.Outcome == OperationOutcome.Ok).ToList();
        var increments = answered.Where(o => o.Kind == OperationKind.Increment).ToList();

        var duplicates = increments.GroupBy(o => o.Number).Where(g => g.Count() > 1).ToList();
        foreach (var same in duplicates.Take(Shown))
            yield return Describe(key, $"INCR returned {same.Key} to {same.Count()} callers (a lost or repeated increment):", same);
        if (duplicates.Count > Shown)
            yield return $"counter \"{key}\": … and {duplicates.Count - Shown} more values INCR returned more than once";

        // Quiescence: a read invoked after every other operation on the key had returned.
        var lastOther = operations.Where(o => o.Kind == OperationKind.Increment).Select(o => o.Completed).DefaultIfEmpty().Max();
        var maxAcknowledged = increments.MaxBy(o => o.Number);
        foreach (var final in answered.Where(o => o.Kind == OperationKind.ReadCounter && o.Invoked > lastOther))
            if (maxAcknowledged is not null && final.Number < maxAcknowledged.Number)
                yield return Describe(key, $"the final value after the callers stopped is {final.Number}, below the acknowledged INCR {maxAcknowledged.Number} (lost increments):",
                    [maxAcknowledged, final]);

        // Real time: an operation that started after another one returned must see at least its value.
        var byCompletion = answered.OrderBy(o => o.Completed).ToList();
        var next = 0;
        Operation? highest = null;
        var wentBackCount = 0;
        foreach (var later in answered.OrderBy(o => o.Invoked))
        {
            for (; next < byCompletion.Count && byCompletion[next].Completed < later.Invoked; next++)
                if (highest is null || byCompletion[next].Number > highest.Number)
                    highest = byCompletion[next];
            if (highest is null)
                continue;
            var wentBack = later.Kind == OperationKind.Increment ? later.Number <= highest.Number : later.Number < highest.Number;
            if (wentBack && wentBackCount++ < Shown)
                yield return Describe(key, $"{Name(later)} returned {later.Number} after {Name(highest)} had returned {highest.Number} (the counter went back):",
                    [highest, later]);
        }

        if (wentBackCount > Shown)
            yield return $"counter \"{key}\": … and {wentBackCount - Shown} more operations that saw the counter go back";

        // No value beyond the increments invoked so far (nothing counted twice, nothing invented).
        var invokedAt = operations.Where(o => o.Kind == OperationKind.Increment).Select(o => o.Invoked).Order().ToList();
        foreach (var o in answered)
        {
            var invoked = CountBefore(invokedAt, o.Completed);
            if (o.Number > invoked)
            {
                yield return Describe(key, $"{Name(o)} returned {o.Number}, but only {invoked} INCRs had been invoked by then (an increment counted twice):", [o]);
                break;
            }
        }
    }

    private static int CountBefore(List<TimeSpan> sorted, TimeSpan time)
    {
        var index = sorted.BinarySearch(time);
        if (index < 0)
            return ~index;
        while (index < sorted.Count && sorted[index] <= time)
            index++;
        return index;
    }

    private static string Name(Operation o) => o.Kind == OperationKind.Increment ? $"INCR #{o.Id}" : $"read #{o.Id}";

    private static string Describe(string key, string what, IEnumerable<Operation> operations) =>
        $"counter \"{key}\": {what}\n" + string.Join("\n", operations.OrderBy(o => o.Invoked).Select(o => "    " + o));
}
