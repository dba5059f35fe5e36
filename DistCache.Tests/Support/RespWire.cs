using System.Net.Sockets;
using System.Text;

namespace DistCache.Tests.Support;

/// <summary>A Redis-protocol connection that reads what the server sends frame by frame, replies and pushes alike
/// (RESP2 and RESP3), each written back as compact text: "OK", ":1", "$v", "nil", "[a b]", "&gt;[invalidate [k]]"
/// for a push. For tests of out-of-band frames (client-side caching invalidations), where a client library would
/// hide them.</summary>
public sealed class RespWire : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RespWire(Socket socket) => _socket = socket;

    public static async Task<RespWire> OpenAsync(int port) => new(await RawSocket.OpenAsync(port));

    public async Task SendAsync(params string[] words)
    {
        var request = new StringBuilder($"*{words.Length}\r\n");
        foreach (var word in words)
            request.Append($"${Encoding.UTF8.GetByteCount(word)}\r\n{word}\r\n");
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToString()));
    }

    /// <summary>Sends a command and reads the next frame (a test that expects pushes in between reads them apart).</summary>
    public async Task<string> CallAsync(params string[] words)
    {
        await SendAsync(words);
        return await ReadAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The next frame, or a TimeoutException when none came within <paramref name="patience"/>.</summary>
    public async Task<string> ReadAsync(TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            return await FrameAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no frame within {patience.TotalSeconds:0.#} s");
        }
    }

    private async Task<string> FrameAsync(CancellationToken stop)
    {
        var line = await LineAsync(stop);
        var rest = line[1..];
        switch (line[0])
        {
            case '+' or '-':
                return line[0] == '-' ? "-" + rest : rest;
            case ':':
                return ":" + rest;
            case '_':
                return "nil";
            case '$' when rest == "-1":
                return "nil";
            case '$' or '=':
                var bytes = await BytesAsync(int.Parse(rest) + 2, stop);
                return "$" + Encoding.UTF8.GetString(bytes, 0, bytes.Length - 2);
            case '*' when rest == "-1":
                return "nil";
            case '*' or '>' or '~' or '%':
                var count = int.Parse(rest) * (line[0] == '%' ? 2 : 1);
                var items = new List<string>();
                for (var i = 0; i < count; i++)
                    items.Add(await FrameAsync(stop));
                return (line[0] == '>' ? ">" : "") + "[" + string.Join(" ", items) + "]";
            default:
                throw new InvalidDataException($"unexpected frame '{line}'");
        }
    }

    private async Task<string> LineAsync(CancellationToken stop)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at > _start && _buffer[at - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, at - 1 - _start);
                _start = at + 1;
                return line;
            }
            await FillAsync(stop);
        }
    }

    private async Task<byte[]> BytesAsync(int length, CancellationToken stop)
    {
        while (_end - _start < length)
            await FillAsync(stop);
        var bytes = _buffer[_start..(_start + length)];
        _start += length;
        return bytes;
    }

    private async Task FillAsync(CancellationToken stop)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, stop);
        if (read == 0)
            throw new IOException("the server closed the connection");
        _end += read;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
