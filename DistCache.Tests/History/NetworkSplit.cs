using System.Diagnostics;
using System.Net;

namespace DistCache.Tests.History;

/// <summary>A private network for the nodes of one test, which can be split and healed.
///
/// Each node runs in a network namespace of its own with one address; the namespaces meet on a bridge in a
/// further private "hub" namespace, and the test process reaches that bridge through one veth pair. A split
/// adds blackhole routes inside the nodes' namespaces, so the two sides stop hearing each other while the
/// test's clients still reach every node (as clients on the far side of a broken switch would).
///
/// Why this and not iptables: namespaces and routes need only iproute2 and root, which both this machine
/// and a fresh Debian CI machine have (the test script installs iproute2 when missing), while firewall rules
/// on 127.0.0.1 could not tell the nodes apart (they share the address) and need a working
/// iptables/nftables backend in the kernel. Servers listen only on addresses inside the namespaces created
/// here; the root namespace gets one veth address (<see cref="TestAddress"/>), on which at most a test's own
/// client listens for the nodes' replies.</summary>
public sealed class NetworkSplit : IDisposable
{
    private const string Prefix = "dchist";
    private readonly string _id = Environment.ProcessId.ToString();
    private readonly string _subnet;
    private readonly List<(int Node, string Blocked)> _blackholes = [];
    private bool _created;

    private NetworkSplit(string subnet) => _subnet = subnet;

    public int Nodes { get; private init; }

    /// <summary>Creates namespaces for <paramref name="nodes"/> nodes (1-based), or fails saying what is missing.</summary>
    public static NetworkSplit Create(int nodes)
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException(Missing($"it runs as '{Environment.UserName}', not root"));
        try
        {
            Run("ip", "-V");
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(Missing($"iproute2's `ip` is not there ({e.Message})"));
        }
        RemoveLeftovers();
        var network = new NetworkSplit(FreeSubnet()) { Nodes = nodes };
        try
        {
            network.Build();
        }
        catch (Exception e)
        {
            network.Dispose();
            throw new InvalidOperationException(Missing($"creating network namespaces failed: {e.Message}"));
        }
        return network;
    }

    public string Address(int node) => $"{_subnet}.{node}";

    /// <summary>The test process's address on the bridge, where a .NET client listens when the nodes must be able
    /// to dial it (a node that the client has not dialled first sends to the client's own address, and 127.0.0.1
    /// inside a node's namespace is that namespace's loopback).</summary>
    public string TestAddress => Address(254);

    /// <summary>The command that runs a program inside <paramref name="node"/>'s namespace.</summary>
    public IReadOnlyList<string> Launcher(int node) => ["ip", "netns", "exec", Namespace(node)];

    /// <summary>Cuts every link between <paramref name="side"/> and <paramref name="rest"/>, both ways.</summary>
    public void Split(IEnumerable<int> side, IEnumerable<int> rest)
    {
        var others = rest.ToList();
        foreach (var a in side)
        {
            foreach (var b in others)
            {
                Block(a, Address(b));
                Block(b, Address(a));
            }
        }
    }

    public void Heal()
    {
        foreach (var (node, blocked) in _blackholes)
            Run("ip", "-n", Namespace(node), "route", "del", "blackhole", blocked + "/32");
        _blackholes.Clear();
    }

    public void Dispose()
    {
        if (!_created)
            return;
        _created = false;
        // Deleting a namespace deletes its interfaces, and with them their veth peers.
        foreach (var name in Enumerable.Range(1, Nodes).Select(Namespace).Append(Namespace(0)))
            TryRun("ip", "netns", "del", name);
        TryRun("ip", "link", "del", RootLink);
    }

    private string Namespace(int node) => node == 0 ? $"{Prefix}-{_id}-hub" : $"{Prefix}-{_id}-n{node}";

    private string RootLink => $"{Prefix}{_id}";

    private void Block(int node, string address)
    {
        Run("ip", "-n", Namespace(node), "route", "add", "blackhole", address + "/32");
        _blackholes.Add((node, address));
    }

    private void Build()
    {
        _created = true;
        var hub = Namespace(0);
        Run("ip", "netns", "add", hub);
        Run("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
        Run("ip", "-n", hub, "link", "set", "br0", "up");
        for (var node = 1; node <= Nodes; node++)
        {
            var ns = Namespace(node);
            var temporary = $"{Prefix}{_id}v{node}";
            Run("ip", "netns", "add", ns);
            Run("ip", "link", "add", temporary, "type", "veth", "peer", "name", $"n{node}", "netns", hub);
            Run("ip", "link", "set", temporary, "netns", ns);
            Run("ip", "-n", ns, "link", "set", temporary, "name", "eth0");
            Run("ip", "-n", ns, "addr", "add", Address(node) + "/24", "dev", "eth0");
            Run("ip", "-n", ns, "link", "set", "eth0", "up");
            Run("ip", "-n", ns, "link", "set", "lo", "up");
            Run("ip", "-n", hub, "link", "set", $"n{node}", "master", "br0", "up");
        }
        Run("ip", "link", "add", RootLink, "type", "veth", "peer", "name", "test", "netns", hub);
        Run("ip", "-n", hub, "link", "set", "test", "master", "br0", "up");
        Run("ip", "addr", "add", TestAddress + "/24", "dev", RootLink);
        Run("ip", "link", "set", RootLink, "up");
    }

    /// <summary>Namespaces of an earlier run whose process is gone (killed before it could clean up).</summary>
    private static void RemoveLeftovers()
    {
        foreach (var line in Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            var parts = name.Split('-');
            if (parts.Length == 3 && parts[0] == Prefix && int.TryParse(parts[1], out var pid) && !Directory.Exists($"/proc/{pid}"))
                TryRun("ip", "netns", "del", name);
        }
    }

    /// <summary>A 10.222.x.0/24 that no route of this machine overlaps.</summary>
    private static string FreeSubnet()
    {
        var routes = Run("ip", "-4", "route", "show", "table", "all").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0] is var first && first is "local" or "broadcast" ? line.Split(' ')[1] : line.Split(' ')[0])
            .Where(destination => destination != "default")
            .ToList();
        for (var i = 0; i < 250; i++)
        {
            var candidate = $"10.222.{(Environment.ProcessId + i) % 250}";
            if (!routes.Any(r => Overlaps(r, candidate + ".0/24")))
                return candidate;
        }
        throw new InvalidOperationException("no free 10.222.x.0/24 subnet for the test's namespaces");
    }

    private static bool Overlaps(string a, string b)
    {
        static (uint Net, int Bits) Parse(string cidr)
        {
            var parts = cidr.Split('/');
            var bytes = IPAddress.TryParse(parts[0], out var ip) ? ip.GetAddressBytes() : [0, 0, 0, 0];
            var bits = parts.Length > 1 && int.TryParse(parts[1], out var n) ? n : 32;
            return ((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]), bits);
        }
        var (x, xb) = Parse(a);
        var (y, yb) = Parse(b);
        var bits = Math.Min(xb, yb);
        var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
        return (x & mask) == (y & mask);
    }

    private static string Missing(string why) =>
        $"The history test splits the network with Linux network namespaces, which need root and iproute2 " +
        $"(scripts/test.sh runs as root and installs iproute2), but {why}. It fails rather than skipping the split.";

    private static void TryRun(params string[] command)
    {
        try
        {
            Run(command);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Run(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{string.Join(' ', command)}` exited with {process.ExitCode}: {error.Trim()}");
        return output.Result;
    }
}
