using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DistCache.Host.Resp.Loop;
using Xunit;

namespace DistCache.Tests.Resp;

/// <summary>The event loop's table of sockets when descriptors are reused: a connection closed more than
/// once (SslStream disposes the stream under it several times) must not take a newer connection's
/// descriptor out of the loop, which left that connection deaf (TLS handshakes hung until their timeout).</summary>
public sealed class RespEventLoopTests : IDisposable
{
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly RespEventLoop _loop;
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RespEventLoopTests()
    {
        _loop = new RespEventLoop("test-loop", _faults.Enqueue);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
    }

    [Fact]
    public async Task A_second_close_leaves_a_newer_connection_on_the_same_descriptor_alone()
    {
        using var firstClient = await ConnectAsync();
        var first = new LoopSocket(await _listener.AcceptAsync(), _loop);
        first.WantReadable(true);
        first.Attach(new Received().For(first));
        // Connected before the close, so that its own socket does not take the freed descriptor.
        using var secondClient = await ConnectAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Close(closed.SetResult);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        // Linux gives the lowest free descriptor: the next accept takes the one just closed.
        var accepted = await _listener.AcceptAsync();
        Assert.Equal(first.Fd, (int)accepted.SafeHandle.DangerousGetHandle());
        var second = new LoopSocket(accepted, _loop);
        second.WantReadable(true);
        var received = new Received();
        second.Attach(received.For(second));

        // Closed again, and detached again as such a close did, after the newer connection attached.
        first.Close();
        await OnLoopAsync(() => _loop.Detach(first));

        await secondClient.SendAsync(new byte[] { 42 });
        Assert.Equal(42, await received.First.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, _loop.Count);
        Assert.Empty(_faults);
        second.Close();
    }

    private async Task<Socket> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_listener.LocalEndPoint!);
        return client;
    }

    private Task OnLoopAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() =>
        {
            work();
            done.SetResult();
        });
        return done.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _loop.Dispose();
    }

    private sealed class Received : ILoopHandler
    {
        private readonly TaskCompletionSource<int> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private LoopSocket? _socket;

        public Task<int> First => _first.Task;

        public void OnReady(uint events)
        {
            var buffer = new byte[16];
            var read = _socket?.Socket.Receive(buffer, SocketFlags.None, out _) ?? 0;
            if (read > 0)
                _first.TrySetResult(buffer[0]);
        }

        public Received For(LoopSocket socket)
        {
            _socket = socket;
            return this;
        }
    }
}
