using System.Diagnostics;

namespace DistCache.Tests.History;

/// <summary>Records every operation's invocation and completion on one clock, from any number of callers.</summary>
public sealed class OperationHistory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Operation> _operations = [];
    private int _nextId;

    /// <summary>Time since the history began; every recorded time is on this clock.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public int Count
    {
        get
        {
            lock (_operations)
                return _operations.Count;
        }
    }

    /// <summary>Takes the invocation time now, before the request leaves the caller.</summary>
    public Invocation Invoke(int caller, string key, OperationKind kind, string? value = null, string? expected = null, int node = 0) =>
        new(this, Interlocked.Increment(ref _nextId), caller, key, kind, value, expected, node, Now);

    public IReadOnlyList<Operation> Operations()
    {
        lock (_operations)
            return _operations.OrderBy(o => o.Invoked).ThenBy(o => o.Id).ToArray();
    }

    /// <summary>The history as it stood at <paramref name="time"/>: operations invoked before it, those still in
    /// flight then without an answer. A prefix of a linearizable history is linearizable.</summary>
    public static IReadOnlyList<Operation> Prefix(IReadOnlyList<Operation> operations, TimeSpan time) =>
        operations.Where(o => o.Invoked < time)
            .Select(o => o.Completed < time ? o : o with { Outcome = OperationOutcome.Unknown, Value = o.Kind == OperationKind.Read ? null : o.Value, Applied = false, Number = 0 })
            .ToList();

    private void Add(Operation operation)
    {
        lock (_operations)
            _operations.Add(operation);
    }

    /// <summary>An operation in flight; exactly one of its completions is recorded.</summary>
    public sealed class Invocation(
        OperationHistory history, int id, int caller, string key, OperationKind kind, string? value, string? expected, int node, TimeSpan invoked)
    {
        private int _done;

        /// <summary>The answer: <paramref name="read"/> for a read, <paramref name="applied"/> for a CAS,
        /// <paramref name="number"/> for the counter.</summary>
        public void Ok(string? read = null, bool applied = false, long number = 0) =>
            Complete(OperationOutcome.Ok, kind == OperationKind.Read ? read : value, applied, number);

        public void Unknown() => Complete(OperationOutcome.Unknown, WrittenValue, false, 0);

        public void Failed() => Complete(OperationOutcome.Failed, WrittenValue, false, 0);

        private string? WrittenValue => kind == OperationKind.Read ? null : value;

        private void Complete(OperationOutcome outcome, string? result, bool applied, long number)
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
                throw new InvalidOperationException($"operation #{id} completed twice");
            history.Add(new Operation(id, caller, key, kind, outcome, invoked, history.Now, result, expected, applied, number, node));
        }
    }
}
