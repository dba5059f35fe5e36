namespace DistCache.Host.Resp;

/// <summary>What one connection has chosen: the protocol version (HELLO), its name (CLIENT SETNAME) and
/// its id. Only the connection's read loop touches it, one command at a time.</summary>
public sealed class RespSession(long id)
{
    public long Id { get; } = id;
    public int Protocol { get; set; } = 2;
    public string? Name { get; set; }
    public RespCursorTable Cursors { get; } = new();
}
