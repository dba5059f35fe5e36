namespace DistCache.Host.Resp;

/// <summary>One command as Redis 7 describes it (src/commands/&lt;name&gt;.json, as COMMAND INFO reports it):
/// arity (negative: at least that many, the name included), flags, where its keys are (first, last,
/// step; last negative counts from the end, 0 0 0 for none), the flags of its key specification
/// (RO/RW/OW/RM and access/insert/update/delete), ACL categories, and the docs' group, version and summary.</summary>
public sealed record RespCommandSpec(
    string Name, int Arity, IReadOnlyList<string> Flags, int FirstKey, int LastKey, int Step, IReadOnlyList<string> KeyFlags,
    IReadOnlyList<string> Categories, string Group, string Since, string Summary)
{
    /// <summary>The row's position in <see cref="RespCommandTable.All"/>, which ACL permission sets index by.</summary>
    public int Index { get; init; }

    /// <summary>The command reads its keys' values (key spec flag <c>access</c>): an ACL user needs read access to them.</summary>
    public bool ReadsKeys { get; } = KeyFlags.Contains("access");

    /// <summary>The command changes its keys (<c>insert</c>, <c>update</c>, <c>delete</c>): an ACL user needs write access to them.</summary>
    public bool WritesKeys { get; } = KeyFlags.Any(f => f is "insert" or "update" or "delete");

    /// <summary>Its keys follow a key count (<see cref="MovableKeyPositions"/>) besides first/last/step.</summary>
    public bool MovableKeys { get; } = Flags.Contains("movablekeys");

    public bool IsIn(string category) => Categories.Contains(category);

    public bool AcceptsArgCount(int count) => Arity >= 0 ? count == Arity : count >= -Arity;

    /// <summary>The positions of the key arguments in <paramref name="args"/>: the fixed ones (first/last/step)
    /// and, for a command whose keys move (movablekeys: SINTERCARD, LMPOP, ZUNIONSTORE ...), those its key count
    /// names (<see cref="MovableKeyPositions"/>).</summary>
    public IEnumerable<int> KeyPositions(RespArgs args) => KeyPositions(args.Count).Union(MovableKeyPositions(args));

    /// <summary>The positions of the key arguments in a request of <paramref name="count"/> arguments
    /// (Redis's first/last/step rule); none for a command without keys.</summary>
    public IEnumerable<int> KeyPositions(int count)
    {
        if (FirstKey <= 0)
            yield break;
        var last = LastKey < 0 ? count + LastKey : LastKey;
        for (var i = FirstKey; i <= last && i < count; i += Step)
            yield return i;
    }

    /// <summary>The keys of a movablekeys command whose keys follow their count (LMPOP numkeys key ..., ZUNIONSTORE
    /// destination numkeys key ...), which first/last/step cannot say; none for another command.</summary>
    public IEnumerable<int> MovableKeyPositions(RespArgs args)
    {
        // BLMPOP and BZMPOP have their timeout before numkeys, the STORE forms their destination (a fixed key).
        var at = Name is "BLMPOP" or "BZMPOP" || Name.EndsWith("STORE", StringComparison.Ordinal) ? 2 : 1;
        // An invalid count names no keys (the command then refuses it), as Redis's keynum key spec.
        if (!Flags.Contains("movablekeys") || args.Count < at + 1 || !args.TryInteger(at, out var keys) || keys < 1 || keys > args.Count - at - 1)
            yield break;
        for (var i = at + 1; i <= at + keys; i++)
            yield return i;
    }
}
