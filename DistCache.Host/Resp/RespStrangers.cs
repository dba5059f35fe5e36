using System.Net;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp;

/// <summary>The endpoint's connections that have not authenticated yet, counted in all and per remote
/// address against <see cref="RespStrangerLimits"/>. A connection leaves the count once, when it
/// authenticates or closes, whichever comes first (<see cref="Stranger"/>).</summary>
public sealed class RespStrangers(RespStrangerLimits limits)
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _count;

    public RespStrangerLimits Limits => limits;

    public int Count
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>A new connection from <paramref name="address"/>, or null with the reason it is refused.</summary>
    public Stranger? TryAdmit(IPAddress address, long nowMs, out string? refusal)
    {
        lock (_lock)
        {
            var fromAddress = _perAddress.GetValueOrDefault(address);
            refusal = _count >= limits.MaxConnections
                ? "ERR max number of unauthenticated clients reached"
                : fromAddress >= limits.MaxPerAddress
                    ? "ERR max number of unauthenticated clients from this address reached"
                    : null;
            if (refusal is not null)
                return null;
            _count++;
            _perAddress[address] = fromAddress + 1;
        }
        return new Stranger(this, address, nowMs + (long)limits.AuthTimeout.TotalMilliseconds);
    }

    private void Leave(IPAddress address)
    {
        lock (_lock)
        {
            _count--;
            if (_perAddress[address] == 1)
                _perAddress.Remove(address);
            else
                _perAddress[address]--;
        }
    }

    /// <summary>One connection while it has not authenticated.</summary>
    public sealed class Stranger(RespStrangers strangers, IPAddress address, long deadlineMs)
    {
        private int _left;

        public bool Waiting => Volatile.Read(ref _left) == 0;

        /// <summary>Still a stranger at <paramref name="nowMs"/>, past the time it had to authenticate.</summary>
        public bool Overdue(long nowMs) => Waiting && nowMs >= deadlineMs;

        /// <summary>It authenticated or closed: it no longer counts (once, from any thread).</summary>
        public void Leave()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
                strangers.Leave(address);
        }
    }
}
