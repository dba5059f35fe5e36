using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp.Loop;

/// <summary>The node's RESP event loops (distcache.resp.io-threads): each new plain-text connection goes
/// to the loop serving the fewest.</summary>
internal sealed class RespEventLoops : IDisposable
{
    private readonly RespEventLoop[] _loops;

    private RespEventLoops(int count, Action<Exception> fault) =>
        _loops = Enumerable.Range(0, count).Select(i => new RespEventLoop($"resp-loop-{i}", fault)).ToArray();

    /// <summary>Null when connections are to use .NET's asynchronous sockets instead (io-threads = 0, or
    /// auto where epoll is not available). Auto is half the cores, at least one: the rest is for what the
    /// loops hand on (partitions busy elsewhere, the journal, remoting, the GC); on 2 cores one loop had
    /// the best latency (README, Performance).</summary>
    public static RespEventLoops? For(int? ioThreads, Action<Exception> fault)
    {
        var count = ioThreads ?? (Epoll.Supported ? Math.Max(1, Environment.ProcessorCount / 2) : 0);
        if (count == 0)
            return null;
        if (!Epoll.Supported)
            throw new ConfigurationException(
                $"{RespSettings.IoThreadsKey} = {count}: the event loop needs Linux on x86-64 or ARM64; use 0 or auto here");
        return new RespEventLoops(count, fault);
    }

    public RespEventLoop Next() => _loops.MinBy(loop => loop.Count)!;

    public void Dispose()
    {
        foreach (var loop in _loops)
            loop.Dispose();
    }
}
