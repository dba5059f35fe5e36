using System.Globalization;

namespace DistCache.Host.Resp;

/// <summary>SCAN cursors as numbers. Redis clients (redis-cli, StackExchange.Redis) parse the cursor as
/// an unsigned integer, while DistCache's cursors name a partition and a key. A cursor that is only a
/// partition number travels as itself; any other gets a number of this connection's, remembered for the
/// last <see cref="Capacity"/> pages.</summary>
public sealed class RespCursorTable
{
    public const int Capacity = 4096;
    private const ulong FirstIssued = 1UL << 32;

    private readonly Dictionary<ulong, string> _issued = new();
    private readonly Queue<ulong> _order = new();
    private ulong _next = FirstIssued;

    public bool TryResolve(string number, out string cursor)
    {
        cursor = "";
        if (!ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        if (value < FirstIssued)
        {
            cursor = value.ToString(CultureInfo.InvariantCulture);
            return true;
        }
        return _issued.TryGetValue(value, out cursor!);
    }

    public string Publish(string cursor)
    {
        if (ulong.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var plain) && plain < FirstIssued)
            return cursor;
        var id = _next++;
        _issued[id] = cursor;
        _order.Enqueue(id);
        if (_order.Count > Capacity)
            _issued.Remove(_order.Dequeue());
        return id.ToString(CultureInfo.InvariantCulture);
    }
}
