namespace DistCache.Tests.History;

/// <summary>Whether one key's reads, writes and compare-and-sets can be ordered as a single register would
/// have done them: the Wing–Gong–Lowe search (Lowe, "Testing for linearizability", 2017) over the history's
/// call and return events, memoising every (set of operations taken, register value) it has tried so each
/// is explored once.
///
/// CAS is modelled on values, not versions: the workload passes the version it read together with a value,
/// and since every write gives the entry a new version and writes unique values, "the version still matches"
/// means "the register still holds the value that read saw".
///
/// An operation without an answer has no return event: it may be taken at any point after its call, or
/// never. Two reductions keep unanswered operations from doubling the search each time, and neither changes
/// the verdict:
/// - An unanswered write whose value some answered operation saw must have happened before the first such
///   operation completed, so it gets that completion as its return.
/// - Values nobody saw (nor compared against) are all the same to the model (one "unseen" value), so
///   unanswered operations writing them are interchangeable within a class (all writes; CAS per expected
///   value) and only the earliest remaining one of a class is ever taken.</summary>
internal sealed class RegisterSearch
{
    public enum Verdict { Linearizable, NotLinearizable, Undecided }

    /// <summary><paramref name="Stuck"/>: the operation whose completion the deepest attempt could not
    /// get past; <paramref name="Taken"/>: how many operations that attempt had ordered.</summary>
    public sealed record Result(Verdict Verdict, Operation? Stuck, int Taken, long Steps);

    private const int Missing = 0;
    private const int Unseen = -1;
    private const int Impossible = int.MinValue;

    private enum Step { Read, Write, CasApplied, CasNotApplied, CasMaybe }

    private readonly record struct SearchOp(Operation Source, Step Step, int Expected, int Value, TimeSpan? Return, int JunkClass);

    public static Result Run(IReadOnlyList<Operation> operations, long maxSteps = 20_000_000)
    {
        var ops = Prepare(operations);
        return ops.Count == 0 ? new Result(Verdict.Linearizable, null, 0, 0) : new RegisterSearch(ops).Search(maxSteps);
    }

    private readonly List<SearchOp> _ops;
    private readonly int[] _next, _prev, _entryOp, _match;
    private readonly bool[] _isCall;
    private readonly List<int>[] _junkClasses;
    private readonly int[] _junkUsed;

    private RegisterSearch(List<SearchOp> ops)
    {
        _ops = ops;
        var entries = new List<(TimeSpan At, bool IsCall, int Op)>();
        for (var i = 0; i < ops.Count; i++)
        {
            // Interchangeable unanswered writes stay out of the list: walking past hundreds of them on every
            // restart would dominate the search. They are offered first, one per class, from a pool.
            if (ops[i].JunkClass >= 0)
                continue;
            entries.Add((ops[i].Source.Invoked, true, i));
            if (ops[i].Return is { } end)
                entries.Add((end, false, i));
        }
        // Calls before returns at the same instant: touching operations count as concurrent (the lenient reading).
        entries.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.IsCall != b.IsCall ? (a.IsCall ? -1 : 1) : a.Op.CompareTo(b.Op));

        // Entry 0 is the list head.
        var n = entries.Count + 1;
        (_next, _prev, _entryOp, _match, _isCall) = (new int[n], new int[n], new int[n], new int[n], new bool[n]);
        var callOf = new int[ops.Count];
        for (var e = 1; e < n; e++)
        {
            var (_, isCall, op) = entries[e - 1];
            (_entryOp[e], _isCall[e], _match[e], _prev[e], _next[e]) = (op, isCall, -1, e - 1, e + 1 < n ? e + 1 : -1);
            if (isCall)
                callOf[op] = e;
            else
                _match[callOf[op]] = e;
        }
        (_next[0], _match[0]) = (n > 1 ? 1 : -1, -1);

        var classCount = ops.Count == 0 ? 0 : ops.Max(o => o.JunkClass) + 1;
        _junkClasses = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        _junkUsed = new int[classCount];
        foreach (var i in Enumerable.Range(0, ops.Count).Where(i => ops[i].JunkClass >= 0).OrderBy(i => ops[i].Source.Invoked))
            _junkClasses[ops[i].JunkClass].Add(i);
    }

    private Result Search(long maxSteps)
    {
        var random = new Random(20_17);
        var zobrist = _ops.Select(_ => ((ulong)random.NextInt64(), (ulong)random.NextInt64())).ToArray();
        // 128-bit hashes of the taken set stand in for the set itself: a collision within a few million states is
        // far less likely than a bit flip, and storing the sets would cost hundreds of bytes each.
        var seen = new HashSet<(ulong, ulong, int)>();
        // A cursor >= 0 is an entry of the list; -1 - c is "the next unused operation of junk class c".
        var stack = new Stack<(int Cursor, int Op, int State)>();
        var returnsLeft = _match.Count(m => m >= 0);
        var (state, h1, h2) = (Missing, 0UL, 0UL);
        var (deepest, stuck) = (-1, -1);
        long steps = 0;
        var cursor = First();

        while (returnsLeft > 0)
        {
            if (++steps > maxSteps)
                return new Result(Verdict.Undecided, Stuck(stuck), deepest, steps);

            int op;
            if (cursor < 0)
            {
                var c = -1 - cursor;
                op = _junkUsed[c] < _junkClasses[c].Count ? _junkClasses[c][_junkUsed[c]] : -1;
                if (op >= 0 && _ops[op].Source.Invoked <= FrontierTime() && TryTake(op, cursor))
                {
                    _junkUsed[c]++;
                    cursor = First();
                }
                else
                    cursor = c + 1 < _junkClasses.Length ? cursor - 1 : _next[0];
                continue;
            }

            op = _entryOp[cursor];
            if (_isCall[cursor])
            {
                if (TryTake(op, cursor))
                {
                    Lift(cursor);
                    if (_match[cursor] >= 0)
                        returnsLeft--;
                    cursor = First();
                }
                else
                    cursor = _next[cursor];
                continue;
            }

            // A return whose operation has not been taken: this order cannot be completed; undo the last choice.
            if (stack.Count > deepest)
                (deepest, stuck) = (stack.Count, op);
            if (stack.Count == 0)
                return new Result(Verdict.NotLinearizable, Stuck(stuck), deepest, steps);
            var (undo, undone, before) = stack.Pop();
            (state, h1, h2) = (before, h1 ^ zobrist[undone].Item1, h2 ^ zobrist[undone].Item2);
            if (undo < 0)
            {
                var c = -1 - undo;
                _junkUsed[c]--;
                cursor = c + 1 < _junkClasses.Length ? undo - 1 : _next[0];
                continue;
            }
            Unlift(undo);
            if (_match[undo] >= 0)
                returnsLeft++;
            cursor = _next[undo];
        }
        return new Result(Verdict.Linearizable, null, stack.Count, steps);

        bool TryTake(int op, int at)
        {
            if (!TryStep(state, _ops[op], out var after))
                return false;
            var (n1, n2) = (h1 ^ zobrist[op].Item1, h2 ^ zobrist[op].Item2);
            if (!seen.Add((n1, n2, after)))
                return false;
            stack.Push((at, op, state));
            (state, h1, h2) = (after, n1, n2);
            return true;
        }
    }

    private int First() => _junkClasses.Length > 0 ? -1 : _next[0];

    /// <summary>The completion time of the earliest operation not yet taken: nothing invoked after it may come first.</summary>
    private TimeSpan FrontierTime()
    {
        for (var e = _next[0]; e >= 0; e = _next[e])
            if (!_isCall[e])
                return _ops[_entryOp[e]].Return!.Value;
        return TimeSpan.MaxValue;
    }

    private Operation? Stuck(int op) => op < 0 ? null : _ops[op].Source;

    private static bool TryStep(int state, SearchOp op, out int after)
    {
        after = state;
        switch (op.Step)
        {
            case Step.Read:
                return state == op.Value;
            case Step.Write:
                after = op.Value;
                return true;
            case Step.CasNotApplied:
                return state != op.Expected;
            default:
                // Applied, or an unanswered CAS taken at a point where it applies (taking it where it does not
                // would change nothing, which is the same as never taking it).
                if (state != op.Expected)
                    return false;
                after = op.Value;
                return true;
        }
    }

    private void Lift(int call)
    {
        Unlink(call);
        if (_match[call] >= 0)
            Unlink(_match[call]);
    }

    private void Unlift(int call)
    {
        if (_match[call] >= 0)
            Relink(_match[call]);
        Relink(call);
    }

    private void Unlink(int e)
    {
        _next[_prev[e]] = _next[e];
        if (_next[e] >= 0)
            _prev[_next[e]] = _prev[e];
    }

    private void Relink(int e)
    {
        _next[_prev[e]] = e;
        if (_next[e] >= 0)
            _prev[_next[e]] = e;
    }

    /// <summary>Drops what cannot matter (refused operations, unanswered reads), names values by number and
    /// applies the two reductions for unanswered writes.</summary>
    private static List<SearchOp> Prepare(IReadOnlyList<Operation> operations)
    {
        var ops = operations.Where(o => o.Outcome == OperationOutcome.Ok
            || (o.Outcome == OperationOutcome.Unknown && o.Kind != OperationKind.Read)).ToList();

        var writers = new Dictionary<string, Operation>();
        foreach (var o in ops.Where(o => o.Kind != OperationKind.Read))
            if (o.Value is null || !writers.TryAdd(o.Value, o))
                throw new ArgumentException($"every write needs a value of its own, but {o} repeats {writers.GetValueOrDefault(o.Value ?? "")}");

        // Seen: read by an answered read or compared by any CAS. Proven: only possible if its write happened.
        var seen = new HashSet<string>();
        var provenBy = new Dictionary<string, TimeSpan>();
        foreach (var o in ops)
        {
            if (o.Kind == OperationKind.CompareAndSet && o.Expected is not null)
                seen.Add(o.Expected);
            string? proves = o.Outcome != OperationOutcome.Ok ? null
                : o.Kind == OperationKind.Read ? o.Value
                : o.Kind == OperationKind.CompareAndSet && o.Applied ? o.Expected
                : null;
            if (proves is null)
                continue;
            seen.Add(proves);
            provenBy[proves] = provenBy.TryGetValue(proves, out var earlier) && earlier < o.Completed ? earlier : o.Completed;
        }

        var ids = new Dictionary<string, int>();
        int Id(string? value) => value is null ? Missing : !seen.Contains(value) ? Unseen : ids.TryGetValue(value, out var id) ? id : ids[value] = ids.Count + 1;
        var junkOfExpected = new Dictionary<int, int>();
        int JunkClassOf(int expected) => junkOfExpected.TryGetValue(expected, out var c) ? c : junkOfExpected[expected] = junkOfExpected.Count + 1;

        var result = new List<SearchOp>();
        foreach (var o in ops)
        {
            var answered = o.Outcome == OperationOutcome.Ok;
            var value = Id(o.Value);
            var expected = o.Kind == OperationKind.CompareAndSet && o.Expected is null ? Impossible : Id(o.Expected);
            TimeSpan? proven = o.Value is not null && o.Kind != OperationKind.Read && provenBy.TryGetValue(o.Value, out var by) ? by : null;
            result.Add(o.Kind switch
            {
                OperationKind.Read => new SearchOp(o, Step.Read, 0, value, o.Completed, -1),
                OperationKind.Write when answered => new SearchOp(o, Step.Write, 0, value, o.Completed, -1),
                OperationKind.Write when proven is not null => new SearchOp(o, Step.Write, 0, value, proven, -1),
                OperationKind.Write => new SearchOp(o, Step.Write, 0, value, null, value == Unseen ? 0 : -1),
                OperationKind.CompareAndSet when answered =>
                    new SearchOp(o, o.Applied ? Step.CasApplied : Step.CasNotApplied, expected, value, o.Completed, -1),
                OperationKind.CompareAndSet when proven is not null => new SearchOp(o, Step.CasApplied, expected, value, proven, -1),
                OperationKind.CompareAndSet => new SearchOp(o, Step.CasMaybe, expected, value, null, value == Unseen ? JunkClassOf(expected) : -1),
                _ => throw new ArgumentException($"{o} is not a register operation"),
            });
        }
        return result;
    }
}
