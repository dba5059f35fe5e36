namespace DistCache.Tests.History;

/// <summary>The anomalies a split brain or a lost write produces, found directly in O(n log n) with a
/// witness of three or four operations: a read (or applied CAS) of a value nobody wrote, of a value whose
/// write started only after the read returned, or of a value that real time proves was already replaced:
/// its write W1 had taken effect before a newer write W2 was invoked, and W2 had taken effect before the
/// read was invoked. Every one is a proof of non-linearizability (values are unique, nothing deletes), so
/// the full search is only needed for subtler histories.</summary>
internal static class StaleReads
{
    /// <summary>A write with <paramref name="Invoked"/> and the instant by which it had surely taken effect:
    /// its own completion, or the completion of the first operation that saw its value.</summary>
    private sealed record Writer(Operation Write, TimeSpan Invoked, TimeSpan InEffectBy, Operation ProvedBy);

    public static IEnumerable<IReadOnlyList<Operation>> Find(IReadOnlyList<Operation> operations, int limit = 3)
    {
        var answered = operations.Where(o => o.Outcome == OperationOutcome.Ok).ToList();
        var readers = answered.Where(o => o.Kind == OperationKind.Read || (o.Kind == OperationKind.CompareAndSet && o.Applied)).ToList();
        string? SeenBy(Operation o) => o.Kind == OperationKind.Read ? o.Value : o.Expected;

        var firstSeen = new Dictionary<string, Operation>();
        foreach (var r in readers)
            if (SeenBy(r) is { } v && (!firstSeen.TryGetValue(v, out var f) || r.Completed < f.Completed))
                firstSeen[v] = r;

        var writers = new Dictionary<string, Writer>();
        foreach (var w in operations.Where(o => o.Kind != OperationKind.Read && o.Value is not null && o.Outcome != OperationOutcome.Failed))
        {
            var own = w.Outcome == OperationOutcome.Ok && (w.Kind == OperationKind.Write || w.Applied);
            var seen = firstSeen.GetValueOrDefault(w.Value!);
            if (own && (seen is null || w.Completed <= seen.Completed))
                writers[w.Value!] = new Writer(w, w.Invoked, w.Completed, w);
            else if (seen is not null)
                writers[w.Value!] = new Writer(w, w.Invoked, seen.Completed, seen);
        }

        // Writers by invocation, latest first, with the earliest "in effect by" among those invoked later still.
        var byInvocation = writers.Values.OrderByDescending(w => w.Invoked).ToList();
        var earliestAfter = new Writer[byInvocation.Count];
        for (var i = 0; i < byInvocation.Count; i++)
            earliestAfter[i] = i > 0 && earliestAfter[i - 1].InEffectBy <= byInvocation[i].InEffectBy ? earliestAfter[i - 1] : byInvocation[i];

        var found = 0;
        var pairs = new HashSet<(int, int)>();
        foreach (var read in readers.OrderBy(r => r.Invoked))
        {
            var value = SeenBy(read);
            if (value is not null && !operations.Any(w => w.Kind != OperationKind.Read && w.Value == value && w.Outcome != OperationOutcome.Failed))
            {
                yield return [read];
                if (++found >= limit)
                    yield break;
                continue;
            }
            var own = value is null ? null : writers.GetValueOrDefault(value);
            if (own is not null && own.Write.Invoked > read.Completed)
            {
                yield return [read, own.Write];
                if (++found >= limit)
                    yield break;
                continue;
            }
            // The newest-invoked writer that started after the read's own writer had taken effect.
            var after = value is null ? TimeSpan.MinValue : own?.InEffectBy ?? TimeSpan.MaxValue;
            var count = byInvocation.FindLastIndex(w => w.Invoked > after);
            if (count < 0)
                continue;
            var newer = earliestAfter[count];
            if (newer.InEffectBy >= read.Invoked)
                continue;
            // One witness per pair of writes: the reads that follow the same stale pattern add nothing.
            if (!pairs.Add((own?.Write.Id ?? 0, newer.Write.Id)))
                continue;
            var witness = new List<Operation> { read, newer.Write, newer.ProvedBy };
            if (own is not null)
                witness.AddRange([own.Write, own.ProvedBy]);
            yield return witness.Distinct().OrderBy(o => o.Invoked).ToList();
            if (++found >= limit)
                yield break;
        }
    }
}
