using System.Diagnostics;

namespace DistCache.Tests.History;

/// <summary>Shrinks a key's non-linearizable history to a few operations that still admit no order, so a
/// failure names the stale read and the writes it missed instead of thousands of operations (delta
/// debugging: drop halves, then quarters, … while the rest still fails).
///
/// Only removals that keep the set a proof are made. Dropping a read, or a CAS that answered "not applied",
/// only removes constraints. Dropping a write also drops every operation that saw its value (transitively),
/// which is sound as long as no "not applied" CAS is left, since such a CAS may have needed the dropped write
/// to see a value other than its expected one; so those go first, when the rest still fails without them.</summary>
internal static class SmallestFailingSet
{
    private const long StepsPerTry = 2_000_000;

    public static List<Operation> Find(IReadOnlyList<Operation> operations, Operation? stuck, TimeSpan? budget = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = budget ?? TimeSpan.FromSeconds(10);
        var current = operations.Where(o => o.Outcome == OperationOutcome.Ok
            || (o.Outcome == OperationOutcome.Unknown && o.Kind != OperationKind.Read)).ToList();

        // Nothing invoked after the stuck operation completed can be needed to show it cannot be placed.
        if (stuck is not null)
            TryKeep(ref current, current.Where(o => o.Invoked <= stuck.Completed).ToList());
        var writesRemovable = TryKeep(ref current, current.Where(o => !IsNotAppliedCas(o)).ToList())
            || !current.Any(IsNotAppliedCas);

        for (var chunk = Math.Max(1, current.Count / 2); chunk >= 1; chunk /= 2)
        {
            for (var i = 0; i < current.Count && clock.Elapsed < limit;)
            {
                var drop = current.Skip(i).Take(chunk).Where(o => writesRemovable || HasNoEffect(o)).ToHashSet();
                if (writesRemovable)
                    AddEverythingThatSaw(drop, current);
                if (drop.Count == 0 || drop.Count == current.Count || !TryKeep(ref current, current.Where(o => !drop.Contains(o)).ToList()))
                    i += chunk;
            }
            if (chunk == 1 || clock.Elapsed >= limit)
                break;
        }
        return current;
    }

    private static bool TryKeep(ref List<Operation> current, List<Operation> candidate)
    {
        if (candidate.Count == current.Count || RegisterSearch.Run(candidate, StepsPerTry).Verdict != RegisterSearch.Verdict.NotLinearizable)
            return false;
        current = candidate;
        return true;
    }

    private static bool IsNotAppliedCas(Operation o) =>
        o.Kind == OperationKind.CompareAndSet && o.Outcome == OperationOutcome.Ok && !o.Applied;

    private static bool HasNoEffect(Operation o) => o.Kind == OperationKind.Read || IsNotAppliedCas(o);

    private static void AddEverythingThatSaw(HashSet<Operation> drop, List<Operation> current)
    {
        var written = new Queue<string>(drop.Where(o => !HasNoEffect(o) && o.Value is not null).Select(o => o.Value!));
        while (written.TryDequeue(out var value))
        {
            foreach (var o in current)
            {
                var saw = (o.Kind == OperationKind.Read && o.Value == value) || (o.Kind == OperationKind.CompareAndSet && o.Expected == value);
                if (saw && drop.Add(o) && !HasNoEffect(o) && o.Value is not null)
                    written.Enqueue(o.Value);
            }
        }
    }
}
