using System.Globalization;
using System.Text;
using Akka.Actor;
using DistCache.Actors.Partitions;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>Answers one multi-partition request (MGET, MSET, DBSIZE, FLUSHALL, SCAN): sends each partition
/// its share as one message, gathers the replies and answers the client once, then stops. Each part of a
/// write carries a request id derived from the client's, so a retried MSET or FLUSHALL is not applied twice.</summary>
public sealed class FanOutActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IActorRef _region;
    private readonly int _partitions;
    private readonly ClientRequest _request;
    private readonly IActorRef _replyTo;
    private readonly Dictionary<long, int> _outstanding = new(); // sub-request id → partition
    private readonly Dictionary<int, ICacheReply> _replies = new();
    private long _nextId;

    public FanOutActor(IActorRef region, int partitions, ClientRequest request, IActorRef replyTo)
    {
        _region = region;
        _partitions = partitions;
        _request = request;
        _replyTo = replyTo;

        Receive<ClientResponse>(OnPartReply);
        Receive<ReceiveTimeout>(_ => Finish(new Rejected(CacheErrorCode.Unavailable, "ERR some partitions did not answer within 30 s")));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, int partitions, ClientRequest request, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new FanOutActor(region, partitions, request, replyTo));

    protected override void PreStart()
    {
        Timers.StartSingleTimer("timeout", ReceiveTimeout.Instance, Timeout);
        switch (_request.Command)
        {
            case MultiGet get:
                foreach (var group in GroupKeys(get.Keys, k => k))
                    Send(group.Key, new MultiGetPart(group.Key, group.Value.ToArray()));
                break;
            case MultiSet set:
                foreach (var group in GroupKeys(set.Entries, e => e.Key))
                    Send(group.Key, new MultiSetPart(group.Key, group.Value.ToArray()));
                break;
            case CountKeys:
                for (var p = 0; p < _partitions; p++)
                    Send(p, new CountPart(p));
                break;
            case FlushAll:
                for (var p = 0; p < _partitions; p++)
                    Send(p, new FlushPart(p));
                break;
            case ScanKeys scan:
                if (!ScanCursor.TryParse(scan.Cursor, _partitions, out var partition, out var after))
                {
                    Finish(new Rejected(CacheErrorCode.InvalidArgument, "ERR invalid cursor"));
                    return;
                }
                _scanCount = scan.Count;
                Send(partition, new ScanPart(partition, after, scan.Count));
                break;
        }
        if (_outstanding.Count == 0 && _request.Command is MultiGet or MultiSet)
            Complete();
    }

    private int _scanCount;
    private readonly List<string> _scanned = [];

    private void OnPartReply(ClientResponse response)
    {
        if (!_outstanding.Remove(response.CorrelationId, out var partition))
            return;
        if (response.Reply is Rejected rejected)
        {
            Finish(rejected);
            return;
        }
        if (response.Reply is PartPage page)
        {
            _scanned.AddRange(page.Keys);
            var next = page.Next is not null ? (partition, page.Next) : (partition + 1, (string?)null);
            if (next.Item1 >= _partitions)
                Finish(new KeyPage(_scanned.ToArray(), ScanCursor.Start));
            else if (_scanned.Count >= _scanCount)
                Finish(new KeyPage(_scanned.ToArray(), ScanCursor.Format(next.Item1, next.Item2)));
            else
                Send(next.Item1, new ScanPart(next.Item1, next.Item2, _scanCount - _scanned.Count));
            return;
        }
        _replies[partition] = response.Reply;
        if (_outstanding.Count == 0)
            Complete();
    }

    private void Complete()
    {
        switch (_request.Command)
        {
            case MultiGet get:
                var byPartition = _replies.ToDictionary(r => r.Key, r => new Queue<CacheValue?>(((Values)r.Value).Items));
                var values = get.Keys.Select(k => byPartition[KeyHasher.PartitionOf(k, _partitions)].Dequeue()).ToArray();
                Finish(new Values(values));
                break;
            case CountKeys:
                Finish(new CounterValue(_replies.Values.Sum(r => ((CounterValue)r).Value)));
                break;
            default:
                Finish(Stored.Instance);
                break;
        }
    }

    private void Send(int partition, IPartitionCommand command)
    {
        var id = ++_nextId;
        _outstanding[id] = partition;
        var requestId = command is IWriteCommand ? PartRequestId(_request.RequestId, partition) : Guid.Empty;
        _region.Tell(new ClientRequest(id, command, requestId), Self);
    }

    private void Finish(ICacheReply reply)
    {
        _replyTo.Tell(new ClientResponse(_request.CorrelationId, reply));
        Context.Stop(Self);
    }

    private Dictionary<int, List<T>> GroupKeys<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var groups = new Dictionary<int, List<T>>();
        foreach (var item in items)
        {
            var partition = KeyHasher.PartitionOf(key(item), _partitions);
            if (!groups.TryGetValue(partition, out var list))
                groups[partition] = list = [];
            list.Add(item);
        }
        return groups;
    }

    /// <summary>The client's id with the partition mixed in: stable across retries, distinct per partition.</summary>
    private static Guid PartRequestId(Guid requestId, int partition)
    {
        if (requestId == Guid.Empty)
            return Guid.Empty;
        Span<byte> bytes = stackalloc byte[16];
        requestId.TryWriteBytes(bytes);
        for (var i = 0; i < 4; i++)
            bytes[12 + i] ^= (byte)(partition >> (8 * i));
        return new Guid(bytes);
    }
}

/// <summary>SCAN cursors: "0" starts and ends; otherwise the partition and the last key returned from it.</summary>
public static class ScanCursor
{
    public const string Start = "0";

    public static string Format(int partition, string? after) =>
        after is null
            ? partition.ToString(CultureInfo.InvariantCulture)
            : partition.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(Encoding.UTF8.GetBytes(after));

    public static bool TryParse(string? cursor, int partitions, out int partition, out string? after)
    {
        after = null;
        partition = 0;
        if (string.IsNullOrEmpty(cursor))
            return false;
        var colon = cursor.IndexOf(':');
        var head = colon < 0 ? cursor : cursor[..colon];
        if (!int.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out partition) || partition >= partitions)
            return false;
        if (colon < 0)
            return true;
        try
        {
            after = Encoding.UTF8.GetString(Convert.FromBase64String(cursor[(colon + 1)..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
