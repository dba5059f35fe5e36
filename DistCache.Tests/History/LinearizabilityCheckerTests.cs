using Xunit.Abstractions;

using System.Diagnostics;

namespace DistCache.Tests.History;

/// <summary>The checker on hand-written histories (times in seconds), and on generated ones for speed.</summary>
public sealed class LinearizabilityCheckerTests(ITestOutputHelper output)
{
    private readonly List<Operation> _ops = [];

    private LinearizabilityChecker.Report Check() => LinearizabilityChecker.Check(_ops);

    [Fact]
    public void Sequential_writes_and_reads_pass()
    {
        Read(1, null, 0, 1);
        Write(1, "a", 2, 3);
        Read(2, "a", 4, 5);
        Write(2, "b", 6, 7);
        Read(1, "b", 8, 9);
        Assert.True(Check().Passed, Check().ToString());
    }

    [Fact]
    public void A_read_concurrent_with_a_write_may_see_either_value_but_not_go_back()
    {
        Write(1, "a", 0, 1);
        Write(2, "b", 2, 6);
        Read(3, "b", 3, 4);
        Read(4, "a", 2.5, 3.2);
        Assert.True(Check().Passed, Check().ToString());

        Read(4, "a", 4.5, 5);
        Assert.False(Check().Passed, "a read that starts after another read returned b cannot see a");
    }

    [Fact]
    public void A_stale_read_after_an_acknowledged_write_fails_and_names_the_key_and_operations()
    {
        Write(1, "old", 0, 1);
        Write(2, "new", 2, 3);
        Read(3, "old", 4, 5);
        for (var i = 0; i < 20; i++)
            Read(4, "new", 6 + i, 6.5 + i);

        var report = Check();

        output.WriteLine(report.ToString());
        Assert.False(report.Passed);
        var text = Assert.Single(report.Violations);
        Assert.Contains("register \"k\"", text);
        Assert.Contains("#1 c1 k write \"old\"  [0.000 s .. 1.000 s]", text);
        Assert.Contains("#2 c2 k write \"new\"  [2.000 s .. 3.000 s]", text);
        Assert.Contains("#3 c3 k read -> \"old\"  [4.000 s .. 5.000 s]", text);
        Assert.DoesNotContain("#4 ", text);
    }

    [Fact]
    public void A_lost_acknowledged_write_fails()
    {
        Write(1, "a", 0, 1);
        Read(2, "a", 1.5, 2);
        Read(2, null, 3, 4);
        Assert.False(Check().Passed);
    }

    [Fact]
    public void A_read_of_a_value_nobody_wrote_fails()
    {
        Write(1, "a", 0, 1);
        Read(2, "ghost", 2, 3);
        var report = Check();
        Assert.False(report.Passed);
        Assert.Contains("no operation wrote the value it returned", report.ToString());
    }

    [Fact]
    public void A_timed_out_write_may_appear_later()
    {
        Write(1, "a", 0, 1);
        WriteUnanswered(2, "late", 2, gaveUp: 4);
        Read(3, "a", 5, 6);
        Read(3, "late", 10, 11);
        Read(4, "late", 12, 13);
        Assert.True(Check().Passed, Check().ToString());
    }

    [Fact]
    public void A_timed_out_write_may_never_appear()
    {
        Write(1, "a", 0, 1);
        for (var i = 0; i < 40; i++)
            WriteUnanswered(2 + i % 5, "lost" + i, 2 + i * 0.1, gaveUp: 5 + i * 0.1);
        Read(3, "a", 20, 21);
        Assert.True(Check().Passed, Check().ToString());
    }

    [Fact]
    public void A_timed_out_write_cannot_appear_before_it_was_invoked()
    {
        Read(1, "early", 0, 1);
        WriteUnanswered(2, "early", 2, gaveUp: 4);
        Assert.False(Check().Passed);
    }

    [Fact]
    public void A_timed_out_write_cannot_appear_twice()
    {
        Write(1, "a", 0, 1);
        WriteUnanswered(2, "x", 2, gaveUp: 3);
        Read(3, "x", 4, 5);
        Write(1, "b", 6, 7);
        Read(3, "x", 8, 9);
        Assert.False(Check().Passed);
    }

    [Fact]
    public void Compare_and_set_applies_only_to_the_value_it_expects()
    {
        Write(1, "a", 0, 1);
        Read(2, "a", 1.5, 2);
        Cas(2, "a", "c", applied: true, 3, 4);
        Read(1, "c", 5, 6);
        Assert.True(Check().Passed, Check().ToString());

        Write(3, "b", 7, 8);
        Cas(2, "c", "d", applied: true, 9, 10);
        Assert.False(Check().Passed, "the CAS expected c after b had replaced it");
    }

    [Fact]
    public void A_compare_and_set_may_fail_because_of_a_timed_out_write_nobody_saw()
    {
        Write(1, "a", 0, 1);
        Read(2, "a", 1.5, 2);
        WriteUnanswered(3, "unseen", 2.5, gaveUp: 4);
        Cas(2, "a", "c", applied: false, 5, 6);
        Assert.True(Check().Passed, Check().ToString());
    }

    [Fact]
    public void A_compare_and_set_that_fails_with_no_other_write_fails()
    {
        Write(1, "a", 0, 1);
        Read(2, "a", 1.5, 2);
        Cas(2, "a", "c", applied: false, 3, 4);
        for (var i = 0; i < 10; i++)
            Read(3 + i % 2, "a", 5 + i, 5.5 + i);

        var report = Check();

        output.WriteLine(report.ToString());
        Assert.False(report.Passed);
        var text = Assert.Single(report.Violations);
        Assert.Contains("These 2 operations alone", text);
        Assert.Contains("#1 c1 k write \"a\"  [0.000 s .. 1.000 s]", text);
        Assert.Contains("#3 c2 k cas \"a\" -> \"c\" : not applied  [3.000 s .. 4.000 s]   <- cannot be placed", text);
    }

    [Fact]
    public void A_counter_that_hands_out_unique_growing_values_passes()
    {
        Incr(1, 1, 0, 1);
        Incr(2, 3, 1.5, 3);
        Incr(3, 2, 1.6, 2.5);
        IncrUnanswered(4, 2.0, gaveUp: 4);
        ReadCounter(5, 3, 5, 6);
        Assert.True(Check().Passed, Check().ToString());
    }

    [Fact]
    public void A_duplicate_incr_value_fails()
    {
        Incr(1, 1, 0, 1);
        Incr(2, 2, 0.5, 2);
        Incr(3, 2, 0.6, 2.5);
        ReadCounter(4, 3, 5, 6);
        var report = Check();
        Assert.False(report.Passed);
        Assert.Contains("INCR returned 2 to 2 callers", report.ToString());
    }

    [Fact]
    public void A_lost_increment_fails()
    {
        Incr(1, 1, 0, 1);
        Incr(1, 2, 2, 3);
        ReadCounter(2, 1, 4, 5);
        var report = Check();
        Assert.False(report.Passed);
        Assert.Contains("below the acknowledged INCR 2", report.ToString());
    }

    [Fact]
    public void An_increment_counted_twice_fails()
    {
        Incr(1, 1, 0, 1);
        Incr(1, 3, 2, 3);
        Assert.False(Check().Passed);
    }

    [Fact]
    public void Thousands_of_concurrent_operations_with_timeouts_are_checked_quickly()
    {
        var linearizable = Generated(seed: 7, callers: 10, perCaller: 400);
        var clock = Stopwatch.StartNew();
        var report = LinearizabilityChecker.Check(linearizable);
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: {report}");
        Assert.True(report.Passed, report.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");

        // One stale read near the end: a value overwritten long before.
        var last = linearizable.Where(o => o.Kind == OperationKind.Write && o.Outcome == OperationOutcome.Ok).ElementAt(10);
        var end = linearizable.Max(o => o.Completed);
        var stale = last with { Id = 100_000, Caller = 99, Kind = OperationKind.Read, Invoked = end + TimeSpan.FromSeconds(1), Completed = end + TimeSpan.FromSeconds(2) };
        clock.Restart();
        report = LinearizabilityChecker.Check([.. linearizable, stale]);
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: {report}");
        Assert.False(report.Passed);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains("#100000", report.Violations[0]);
    }

    /// <summary>A real register driven by concurrent callers: each operation takes effect at a random instant
    /// of its interval; a tenth get no answer, and of those half take effect at a random later instant.</summary>
    private static List<Operation> Generated(int seed, int callers, int perCaller)
    {
        var random = new Random(seed);
        var planned = new List<(Operation Op, double At)>();
        var id = 0;
        for (var c = 0; c < callers; c++)
        {
            var time = random.NextDouble();
            for (var i = 0; i < perCaller; i++)
            {
                var (start, end) = (time, time + 0.001 + random.NextDouble() * 0.05);
                var unanswered = random.Next(10) == 0;
                var kind = random.Next(3) == 0 ? OperationKind.Read : OperationKind.Write;
                if (kind == OperationKind.Read && unanswered)
                    unanswered = false;
                var at = unanswered ? (random.Next(2) == 0 ? double.MaxValue : start + random.NextDouble() * 5) : start + random.NextDouble() * (end - start);
                var op = new Operation(++id, c, "k", kind, unanswered ? OperationOutcome.Unknown : OperationOutcome.Ok,
                    TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(unanswered ? end + 2 : end), kind == OperationKind.Write ? $"c{c}-w{i}" : null);
                planned.Add((op, at));
                time = end + random.NextDouble() * 0.01 + (unanswered ? 2 : 0);
            }
        }
        string? register = null;
        var result = new List<Operation>();
        foreach (var (op, _) in planned.OrderBy(p => p.At))
        {
            if (op.Kind == OperationKind.Write)
            {
                if (planned.First(p => p.Op == op).At != double.MaxValue)
                    register = op.Value;
                result.Add(op);
            }
            else
                result.Add(op with { Value = register });
        }
        return result.OrderBy(o => o.Invoked).ToList();
    }

    private void Add(int caller, string key, OperationKind kind, OperationOutcome outcome, double from, double to,
        string? value = null, string? expected = null, bool applied = false, long number = 0) =>
        _ops.Add(new Operation(_ops.Count + 1, caller, key, kind, outcome, TimeSpan.FromSeconds(from), TimeSpan.FromSeconds(to), value, expected, applied, number));

    private void Write(int caller, string value, double from, double to) => Add(caller, "k", OperationKind.Write, OperationOutcome.Ok, from, to, value);

    private void WriteUnanswered(int caller, string value, double from, double gaveUp) =>
        Add(caller, "k", OperationKind.Write, OperationOutcome.Unknown, from, gaveUp, value);

    private void Read(int caller, string? value, double from, double to) => Add(caller, "k", OperationKind.Read, OperationOutcome.Ok, from, to, value);

    private void Cas(int caller, string expected, string value, bool applied, double from, double to) =>
        Add(caller, "k", OperationKind.CompareAndSet, OperationOutcome.Ok, from, to, value, expected, applied);

    private void Incr(int caller, long result, double from, double to) => Add(caller, "n", OperationKind.Increment, OperationOutcome.Ok, from, to, number: result);

    private void IncrUnanswered(int caller, double from, double gaveUp) => Add(caller, "n", OperationKind.Increment, OperationOutcome.Unknown, from, gaveUp);

    private void ReadCounter(int caller, long value, double from, double to) => Add(caller, "n", OperationKind.ReadCounter, OperationOutcome.Ok, from, to, number: value);
}
