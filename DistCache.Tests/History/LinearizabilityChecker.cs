using System.Diagnostics;

namespace DistCache.Tests.History;

/// <summary>Checks a recorded history key by key (linearizability is compositional: a history is
/// linearizable exactly when each key's part is): register keys with <see cref="RegisterSearch"/>, counter
/// keys with <see cref="CounterCheck"/>. Pure: no clock, no I/O.</summary>
public static class LinearizabilityChecker
{
    public sealed record Report(bool Passed, IReadOnlyList<string> Violations, string Summary)
    {
        public override string ToString() => Passed ? Summary : Summary + "\n\n" + string.Join("\n\n", Violations);
    }

    public static Report Check(IReadOnlyList<Operation> history, long maxStepsPerKey = 20_000_000)
    {
        var violations = new List<string>();
        var lines = new List<string>();
        foreach (var key in history.GroupBy(o => o.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ops = key.OrderBy(o => o.Invoked).ThenBy(o => o.Id).ToList();
            var counts = $"{ops.Count(o => o.Outcome == OperationOutcome.Ok)} answered, {ops.Count(o => o.Outcome == OperationOutcome.Unknown)} unanswered, {ops.Count(o => o.Outcome == OperationOutcome.Failed)} refused";
            if (ops.All(o => o.IsCounter))
            {
                var found = CounterCheck.Violations(key.Key, ops).ToList();
                violations.AddRange(found);
                lines.Add($"  counter  {key.Key}: {counts}: {(found.Count == 0 ? "ok" : "VIOLATED")}");
                continue;
            }
            if (ops.Any(o => o.IsCounter))
                throw new ArgumentException($"key \"{key.Key}\" is used both as a register and as a counter");

            var clock = Stopwatch.StartNew();
            var stale = StaleReads.Find(ops).ToList();
            if (stale.Count > 0)
            {
                violations.AddRange(stale.Select(witness => ExplainStale(key.Key, witness)));
                lines.Add($"  register {key.Key}: {counts}: NOT LINEARIZABLE ({stale.Count} direct witness(es) found in {clock.ElapsedMilliseconds} ms)");
                continue;
            }
            var result = RegisterSearch.Run(ops, maxStepsPerKey);
            var verdict = result.Verdict switch
            {
                RegisterSearch.Verdict.Linearizable => "linearizable",
                RegisterSearch.Verdict.NotLinearizable => "NOT LINEARIZABLE",
                _ => "UNDECIDED",
            };
            lines.Add($"  register {key.Key}: {counts}: {verdict} ({result.Steps:N0} search steps, {clock.ElapsedMilliseconds} ms)");
            if (result.Verdict == RegisterSearch.Verdict.NotLinearizable)
                violations.Add(Explain(key.Key, ops, result));
            else if (result.Verdict == RegisterSearch.Verdict.Undecided)
                violations.Add($"register \"{key.Key}\": undecided: the search gave up after {result.Steps:N0} steps " +
                    $"(deepest attempt ordered {result.Taken} operations and stopped at {result.Stuck}). Not a proof either way; treated as a failure.");
        }
        var summary = (violations.Count == 0 ? "history checker: linearizable" : $"history checker: {violations.Count} violation(s)")
            + $" ({history.Count} operations)\n" + string.Join("\n", lines);
        return new Report(violations.Count == 0, violations, summary);
    }

    private static string ExplainStale(string key, IReadOnlyList<Operation> witness)
    {
        var read = witness.OrderBy(o => o.Kind == OperationKind.Read || (o.Kind == OperationKind.CompareAndSet && o.Outcome == OperationOutcome.Ok) ? 0 : 1)
            .ThenByDescending(o => o.Invoked).First();
        var why = witness.Count switch
        {
            1 => "no operation wrote the value it returned",
            2 => "it returned a value whose write was invoked only after it completed",
            _ => "it returned a value that real time proves had already been replaced: the value's write had taken effect "
                + "before a newer write was invoked, and the newer write had taken effect (by its own completion, or by the "
                + "completion of an operation that saw its value) before this read was invoked",
        };
        return $"register \"{key}\": NOT LINEARIZABLE at #{read.Id}: {why}.\n"
            + "  Operations (times on the history clock, invoked .. completed):\n"
            + string.Join("\n", witness.OrderBy(o => o.Invoked).Select(o => "    " + o + (o.Id == read.Id ? "   <- cannot be placed" : "")));
    }

    private static string Explain(string key, List<Operation> ops, RegisterSearch.Result result)
    {
        var core = SmallestFailingSet.Find(ops, result.Stuck);
        var nobodyWrote = core.Where(o => o.Kind == OperationKind.Read && o.Outcome == OperationOutcome.Ok && o.Value is not null
            && !ops.Any(w => w.Kind != OperationKind.Read && w.Value == o.Value)).Select(o => o.Id).ToHashSet();
        var lines = core.OrderBy(o => o.Invoked).Select(o => "    " + o
            + (o.Id == result.Stuck?.Id ? "   <- cannot be placed" : "")
            + (nobodyWrote.Contains(o.Id) ? "   <- no operation wrote this value" : ""));
        return $"register \"{key}\": NOT LINEARIZABLE. No order of its {ops.Count} operations behaves like one register; "
            + $"the deepest attempt ordered {result.Taken} of them and could not place #{result.Stuck?.Id} before it completed.\n"
            + $"  These {core.Count} operations alone already admit no order (times on the history clock, invoked .. completed; "
            + "each must take effect at one instant in between; an unanswered one at any instant after its invocation, or never):\n"
            + string.Join("\n", lines);
    }
}
