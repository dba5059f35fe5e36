using DistCache.Protocol;
using DistCache.Client;

namespace DistCache.Tests.History;

/// <summary>Concurrent callers reading, writing (every value unique: <c>c3-w17</c>), compare-and-setting a few
/// register keys and incrementing two counters (a string INCR'd, a hash field HINCRBY'd: the same
/// exactly-once check for a collection write), each recording its operations in an
/// <see cref="OperationHistory"/>. Bounded in count per caller and stopped by a token.</summary>
public sealed class Workload(OperationHistory history, NodeClients clients, int seed)
{
    public const string Counter = "counter";

    /// <summary>A counter kept in field <see cref="HashCounterField"/> of a hash.</summary>
    public const string HashCounter = "hash-counter";
    public const string HashCounterField = "n";
    public static readonly string[] Counters = [Counter, HashCounter];
    public static readonly string[] Registers = ["reg-0", "reg-1", "reg-2", "reg-3", "reg-4"];

    public int Callers { get; init; } = 10;
    public int MaxOperationsPerCaller { get; init; } = 5_000;

    /// <summary>Pause between a caller's operations, so a few minutes stay a few thousand operations per key
    /// (the search is memoised but not free).</summary>
    public TimeSpan MaxPause { get; init; } = TimeSpan.FromMilliseconds(40);

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(1, Callers).Select(caller => Task.Run(() => CallerAsync(caller, stop))));

    /// <summary>After the callers stop: every node's client reads every key, so the history ends with reads
    /// taken at quiescence (the counter check needs them).</summary>
    public async Task FinalReadsAsync()
    {
        foreach (var (node, client) in clients.Current())
        {
            foreach (var key in Registers)
                await ReadAsync(new Target(node, client), 100 + node, key);
            foreach (var counter in Counters)
                await ReadCounterAsync(new Target(node, client), 100 + node, counter);
        }
    }

    private async Task CallerAsync(int caller, CancellationToken stop)
    {
        var random = new Random(seed * 31 + caller);
        var written = 0;
        for (var i = 0; i < MaxOperationsPerCaller && !stop.IsCancellationRequested; i++)
        {
            var (node, client) = clients.For(caller);
            var target = new Target(node, client);
            var key = Registers[random.Next(Registers.Length)];
            var roll = random.Next(100);
            if (roll < 35)
                await ReadAsync(target, caller, key);
            else if (roll < 65)
                await WriteAsync(target, caller, key, $"c{caller}-w{++written}");
            else if (roll < 80)
                await ReadThenCompareAndSetAsync(target, caller, key, $"c{caller}-w{++written}");
            else if (roll < 95)
                await IncrementAsync(target, caller, Counters[random.Next(Counters.Length)]);
            else
                await ReadCounterAsync(target, caller, Counters[random.Next(Counters.Length)]);
            await Task.Delay(random.Next((int)MaxPause.TotalMilliseconds + 1), CancellationToken.None);
        }
    }

    private async Task ReadAsync(Target target, int caller, string key)
    {
        var call = history.Invoke(caller, key, OperationKind.Read, node: target.Node);
        try
        {
            var (found, value) = await target.Client.TryGetAsync<string>(key);
            call.Ok(read: found ? value : null);
        }
        catch (Exception e)
        {
            Settle(call, e);
        }
    }

    private async Task WriteAsync(Target target, int caller, string key, string value)
    {
        var call = history.Invoke(caller, key, OperationKind.Write, value, node: target.Node);
        try
        {
            await target.Client.SetAsync(key, value);
            call.Ok();
        }
        catch (Exception e)
        {
            Settle(call, e);
        }
    }

    /// <summary>GETS then CAS with the version it returned: the CAS is recorded as expecting the value read.</summary>
    private async Task ReadThenCompareAndSetAsync(Target target, int caller, string key, string value)
    {
        var read = history.Invoke(caller, key, OperationKind.Read, node: target.Node);
        Versioned<string>? current;
        try
        {
            current = await target.Client.GetWithVersionAsync<string>(key);
            read.Ok(read: current?.Value);
        }
        catch (Exception e)
        {
            Settle(read, e);
            return;
        }
        if (current is null)
            return;
        var cas = history.Invoke(caller, key, OperationKind.CompareAndSet, value, current.Value, node: target.Node);
        try
        {
            cas.Ok(applied: await target.Client.CompareAndSetAsync(key, value, current.Version));
        }
        catch (Exception e)
        {
            Settle(cas, e);
        }
    }

    private async Task IncrementAsync(Target target, int caller, string counter)
    {
        var call = history.Invoke(caller, counter, OperationKind.Increment, node: target.Node);
        try
        {
            call.Ok(number: counter == HashCounter
                ? await target.Client.HashIncrementAsync(counter, HashCounterField)
                : await target.Client.IncrementAsync(counter));
        }
        catch (Exception e)
        {
            Settle(call, e);
        }
    }

    private async Task ReadCounterAsync(Target target, int caller, string counter)
    {
        var call = history.Invoke(caller, counter, OperationKind.ReadCounter, node: target.Node);
        try
        {
            if (counter == HashCounter)
            {
                call.Ok(number: long.Parse(await target.Client.HashGetAsync(counter, HashCounterField) ?? "0", System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            var (found, value) = await target.Client.TryGetAsync<long>(counter);
            call.Ok(number: found ? value : 0);
        }
        catch (Exception e)
        {
            Settle(call, e);
        }
    }

    private sealed record Target(int Node, DistCacheClient Client);

    /// <summary>A refusal (a <see cref="DistCacheException"/> with a reason other than unavailability) changed
    /// nothing; anything else (timeout, client disposed, an unexpected error) may or may not have been applied.</summary>
    private static void Settle(OperationHistory.Invocation call, Exception error)
    {
        if (error is DistCacheException { Code: not CacheErrorCode.Unavailable })
            call.Failed();
        else
            call.Unknown();
    }
}
