using DistCache.Tests.Support;

namespace DistCache.Tests.History;

/// <summary>Real host processes, one per namespace of a <see cref="NetworkSplit"/>, sharing one SQLite journal.
/// By default laid out as scripts/cluster.sh lays them out: every node's only seed is node 1; a test may give each
/// node other arguments instead (discovery flags, an HTTP port). Nodes are numbered from 1; a restarted node keeps
/// its address, port, arguments and data folder. Only processes started here are ever signalled.</summary>
public sealed class NamespacedCluster : IDisposable
{
    public const int Port = 4053;
    private const int SigStop = 19;
    private const int SigCont = 18;
    private const int SigTerm = 15;

    private readonly NetworkSplit _network;
    private readonly TempFolder _data = new();
    private readonly string _config;
    private readonly Dictionary<int, HostProcess> _current = [];
    private readonly List<(int Node, HostProcess Host)> _started = [];
    private readonly Func<int, IReadOnlyList<string>> _nodeArguments;

    /// <param name="nodeArguments">A node's own `serve` arguments (how it finds the others, its ports); by
    /// default `--seed` node 1. Journal, durability and <paramref name="hocon"/> are the same for every node.</param>
    public NamespacedCluster(NetworkSplit network, string hocon, Func<int, IReadOnlyList<string>>? nodeArguments = null)
    {
        _network = network;
        _nodeArguments = nodeArguments ?? (_ => ["--seed", Contact(1)]);
        _config = Path.Combine(_data.Path, "history.conf");
        File.WriteAllText(_config, hocon);
    }

    public NetworkSplit Network => _network;

    public string Contact(int node) => $"{_network.Address(node)}:{Port}";

    public async Task StartAsync(int node)
    {
        var host = HostProcess.Start(_network.Launcher(node), _network.Address(node), Port, _data.Path,
            [.. _nodeArguments(node), "--durability", "always", "--journal", "sqlite", "--config", _config]);
        lock (_started)
        {
            _started.Add((node, host));
            _current[node] = host;
        }
        await host.WaitUntilReadyAsync();
    }

    /// <summary>SIGTERM, the graceful leave (partitions hand off first), and the exit code once the process ended.</summary>
    public async Task<int> LeaveAsync(int node, TimeSpan within)
    {
        var host = Current(node);
        host.Signal(SigTerm);
        return await host.WaitForExitAsync(within);
    }

    /// <summary>kill -9, or null when the node had already exited (its exit code otherwise).</summary>
    public int? Kill9(int node)
    {
        var host = Current(node);
        if (host.HasExited)
            return host.ExitCode;
        host.Kill9();
        return null;
    }

    /// <summary>Every incarnation's output, one file each, for studying a failure.</summary>
    public string SaveLogs(string folder)
    {
        Directory.CreateDirectory(folder);
        lock (_started)
        {
            foreach (var (node, host) in _started)
                File.WriteAllText(Path.Combine(folder, $"node{node}-pid{host.ProcessId}.log"), host.Output);
        }
        return folder;
    }

    public void Pause(int node) => Current(node).Signal(SigStop);

    public void Resume(int node) => Current(node).Signal(SigCont);

    /// <summary>True when the node's process ended within <paramref name="within"/> (a downed node shuts itself down).</summary>
    public async Task<bool> ExitsWithinAsync(int node, TimeSpan within)
    {
        try
        {
            await Current(node).WaitForExitAsync(within);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Every line any incarnation of any node printed that contains <paramref name="text"/>, after the
    /// header of the log entry it belongs to (which carries the time).</summary>
    public IReadOnlyList<string> LinesContaining(string text)
    {
        var found = new List<string>();
        lock (_started)
        {
            foreach (var (node, host) in _started)
            {
                var header = "";
                foreach (var line in host.Output.Split('\n'))
                {
                    if (line.StartsWith('['))
                        header = line.Length > 60 ? line[..60] + "…" : line;
                    if (line.Contains(text, StringComparison.Ordinal))
                        found.Add($"node {node} (pid {host.ProcessId}): {header.Trim()} | {line.Trim()}");
                }
            }
        }
        return found;
    }

    private HostProcess Current(int node)
    {
        lock (_started)
            return _current[node];
    }

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var (_, host) in _started)
                host.Dispose();
        }
        _data.Dispose();
    }
}
