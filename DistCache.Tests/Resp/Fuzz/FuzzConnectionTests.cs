using System.Net;
using System.Net.Sockets;

namespace DistCache.Tests.Resp.Fuzz;

/// <summary>The fuzz test's hang detection can fire: a listener that plays a hung node (the kernel accepts
/// the connection, nothing ever reads from it or closes it) is reported, with the frames sent to it.</summary>
public sealed class FuzzConnectionTests
{
    [Fact]
    public async Task A_node_that_never_reads_nor_closes_is_reported_as_hung()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fuzzer = new FuzzConnection(port, new RespFrameMutator(new Random(1), "fuzz-pw-4417"), new Random(2), patience: TimeSpan.FromSeconds(1));

        await fuzzer.RunAsync(DateTime.UtcNow.AddSeconds(30), maxFrames: 1_000_000).WaitAsync(TimeSpan.FromSeconds(20));

        var hang = Assert.Single(fuzzer.Hangs);
        Assert.Contains("last frames sent on it:", hang);
        Assert.Equal(1, fuzzer.Connections);
    }
}
