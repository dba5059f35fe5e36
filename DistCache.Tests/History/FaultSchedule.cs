namespace DistCache.Tests.History;

/// <summary>When a fault began (on the history's clock), what it was, and how it ended.</summary>
public sealed record FaultRecord(TimeSpan At, string Name)
{
    public string Outcome { get; set; } = "";
}

/// <summary>The faults of the history test, one after another while the workload runs: kill -9 of a node and
/// a restart 2–8 s later, SIGSTOP for longer than failure detection plus downing, a node joining, a network
/// split, and last kill -9 of the seed (node 1) and its restart while the others stay up. A node the cluster
/// downed meanwhile shuts itself down; it is started again, as an operator would.</summary>
public sealed class FaultSchedule(NamespacedCluster cluster, NodeClients clients, OperationHistory history, Random random, Action<string> log)
{
    private static readonly TimeSpan ShutdownAfterDowning = TimeSpan.FromSeconds(20);
    private readonly List<FaultRecord> _faults = [];

    /// <summary>Pauses and splits last this long: failure detection (3 s) plus stable-after (3 s) plus the
    /// removal margin (1 s) with room to spare, so the cluster does down the unreachable side.</summary>
    public TimeSpan Outage { get; init; } = TimeSpan.FromSeconds(12);

    public IReadOnlyList<FaultRecord> Faults => _faults;

    public async Task RunAsync()
    {
        var start = history.Now;
        async Task At(double seconds)
        {
            var wait = start + TimeSpan.FromSeconds(seconds) - history.Now;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
        }

        await At(8);
        await KillAndRestartAsync(2);
        await At(30);
        await PauseAndResumeAsync(3);
        await At(55);
        await JoinAsync(4);
        await At(70);
        await SplitAndHealAsync([3], [1, 2, 4]);
        await At(95);
        await KillAndRestartAsync(1);
        // Room for the workload to run against whatever the seed's restart left.
        await At(125);
    }

    private async Task KillAndRestartAsync(int node)
    {
        var down = TimeSpan.FromSeconds(2 + random.NextDouble() * 6);
        var fault = Begin($"kill -9 node {node}{(node == 1 ? " (the seed)" : "")}, restart after {down.TotalSeconds:0.0} s");
        if (cluster.Kill9(node) is { } exitCode)
            log($"{Operation.Seconds(history.Now)}:   node {node} had already exited with code {exitCode}");
        await Task.Delay(down);
        await RestartAsync(node, fault);
    }

    private async Task PauseAndResumeAsync(int node)
    {
        var fault = Begin($"SIGSTOP node {node} for {Outage.TotalSeconds:0} s, then SIGCONT");
        cluster.Pause(node);
        await Task.Delay(Outage);
        cluster.Resume(node);
        await RestartIfDownedAsync(node, fault);
    }

    private async Task JoinAsync(int node)
    {
        var fault = Begin($"node {node} joins");
        await cluster.StartAsync(node);
        clients.Connect(node, cluster.Contact(node));
        End(fault, $"ready after {(history.Now - fault.At).TotalSeconds:0.0} s");
    }

    private async Task SplitAndHealAsync(int[] side, int[] rest)
    {
        var fault = Begin($"network split {{{string.Join(",", side)}}} | {{{string.Join(",", rest)}}} for {Outage.TotalSeconds:0} s, then healed");
        cluster.Network.Split(side, rest);
        try
        {
            await Task.Delay(Outage);
        }
        finally
        {
            cluster.Network.Heal();
        }
        foreach (var node in side)
            await RestartIfDownedAsync(node, fault);
    }

    private async Task RestartIfDownedAsync(int node, FaultRecord fault)
    {
        if (await cluster.ExitsWithinAsync(node, ShutdownAfterDowning))
            await RestartAsync(node, fault, $"node {node} had been downed and shut itself down; ");
        else
            End(fault, $"node {node} kept running");
    }

    private async Task RestartAsync(int node, FaultRecord fault, string before = "")
    {
        await cluster.StartAsync(node);
        clients.Connect(node, cluster.Contact(node));
        End(fault, $"{before}restarted, ready at +{(history.Now - fault.At).TotalSeconds:0.0} s");
    }

    private FaultRecord Begin(string name)
    {
        var fault = new FaultRecord(history.Now, name);
        _faults.Add(fault);
        log($"{Operation.Seconds(fault.At)}: {name}");
        return fault;
    }

    private void End(FaultRecord fault, string outcome)
    {
        fault.Outcome = outcome;
        log($"{Operation.Seconds(history.Now)}:   {outcome}");
    }
}
