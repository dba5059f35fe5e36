namespace DistCache.Tests.History;

public enum OperationKind
{
    /// <summary>GET of a register key; <see cref="Operation.Value"/> is what it returned (null: missing).</summary>
    Read,

    /// <summary>SET of a register key to a value no other operation writes.</summary>
    Write,

    /// <summary>CAS of a register key: <see cref="Operation.Expected"/> is the value the caller read with the
    /// version it passed, <see cref="Operation.Value"/> the new value, <see cref="Operation.Applied"/> the answer.</summary>
    CompareAndSet,

    /// <summary>INCR of the counter key by 1; <see cref="Operation.Number"/> is the value it returned.</summary>
    Increment,

    /// <summary>GET of the counter key; <see cref="Operation.Number"/> is its value (0 when missing).</summary>
    ReadCounter,
}

public enum OperationOutcome
{
    /// <summary>The cluster answered: the operation took effect once, between invocation and completion.</summary>
    Ok,

    /// <summary>No answer (timeout, client gone): it may have taken effect at any time after its invocation, or never.</summary>
    Unknown,

    /// <summary>The cluster refused it: it did not take effect (a rejected request never changes stored data).</summary>
    Failed,
}

/// <summary>One client operation as the caller saw it, with times measured on the history's own clock.
/// <see cref="Completed"/> is when the call returned, whatever the outcome; for an
/// <see cref="OperationOutcome.Unknown"/> operation it bounds nothing. <see cref="Node"/> is the node whose
/// client the caller used (0: not recorded).</summary>
public sealed record Operation(
    int Id,
    int Caller,
    string Key,
    OperationKind Kind,
    OperationOutcome Outcome,
    TimeSpan Invoked,
    TimeSpan Completed,
    string? Value = null,
    string? Expected = null,
    bool Applied = false,
    long Number = 0,
    int Node = 0)
{
    public bool IsCounter => Kind is OperationKind.Increment or OperationKind.ReadCounter;

    public override string ToString()
    {
        var what = Kind switch
        {
            OperationKind.Read => Outcome == OperationOutcome.Ok ? $"read -> {Show(Value)}" : "read",
            OperationKind.Write => $"write {Show(Value)}",
            OperationKind.CompareAndSet => $"cas {Show(Expected)} -> {Show(Value)}" +
                (Outcome == OperationOutcome.Ok ? (Applied ? " : applied" : " : not applied") : ""),
            OperationKind.Increment => Outcome == OperationOutcome.Ok ? $"incr -> {Number}" : "incr",
            OperationKind.ReadCounter => $"read -> {Number}",
            _ => Kind.ToString(),
        };
        var end = Outcome switch
        {
            OperationOutcome.Ok => $"{Seconds(Completed)}",
            OperationOutcome.Unknown => $"?  (no answer; gave up at {Seconds(Completed)})",
            _ => $"{Seconds(Completed)}  (refused)",
        };
        var via = Node > 0 ? $"  (client of node {Node})" : "";
        return $"#{Id} c{Caller} {Key} {what}  [{Seconds(Invoked)} .. {end}]{via}";
    }

    public static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.000} s";

    private static string Show(string? value) => value is null ? "(nil)" : $"\"{value}\"";
}
