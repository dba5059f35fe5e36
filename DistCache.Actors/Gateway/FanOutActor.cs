using DistCache.Wire;
using System.Globalization;
using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>Answers one multi-partition request (MGET, MSET, DBSIZE, FLUSHALL, SCAN), then stops. MGET and
/// MSET go as one message per node: the keys whose shards another node hosts go to that node's gateway in
/// one message, which sends each of its partitions their share locally. The others go one message per
/// partition. Each partition's part of a write carries a request id derived from the client's and the
/// partition, so a retried MSET or FLUSHALL is never applied twice.</summary>
public sealed class FanOutActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IActorRef _region;
    private readonly int _partitions;
    private readonly int _shards;
    private readonly ShardMap _shardMap;
    private readonly Dictionary<CacheKey, CacheValue?> _found = new();
    private readonly Dictionary<long, CacheKey[]> _keysOf = new(); // sub-request id → the keys it covers
    private readonly ClientRequest _request;
    private readonly IActorRef _replyTo;
    private readonly Dictionary<long, int> _outstanding = new(); // sub-request id → partition
    private readonly Dictionary<int, ICacheReply> _replies = new();
    private long _nextId;

    public FanOutActor(IActorRef region, int partitions, int shards, ShardMap shardMap, ClientRequest request, IActorRef replyTo)
    {
        _region = region;
        _partitions = partitions;
        _shards = shards;
        _shardMap = shardMap;
        _request = request;
        _replyTo = replyTo;

        Receive<ClientResponse>(OnPartReply);
        Receive<ReceiveTimeout>(_ => Finish(new Rejected(CacheErrorCode.Unavailable)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef region, int partitions, int shards, ShardMap shardMap, ClientRequest request, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new FanOutActor(region, partitions, shards, shardMap, request, replyTo));

    protected override void PreStart()
    {
        Timers.StartSingleTimer("timeout", ReceiveTimeout.Instance, Timeout);
        switch (_request.Command)
        {
            case MultiGet get:
                foreach (var (node, keys) in GroupByNode(get.Keys, k => k, get.Local))
                    SendToNode(node, new MultiGet(keys.ToArray(), Local: true), keys.ToArray());
                foreach (var group in GroupKeys(LocalShare(get.Keys, k => k, get.Local), k => k))
                    Send(group.Key, new MultiGetPart(group.Key, group.Value.ToArray()), group.Value.ToArray());
                break;
            case MultiSet set:
                foreach (var (node, entries) in GroupByNode(set.Entries, e => e.Key, set.Local))
                    SendToNode(node, new MultiSet(entries.ToArray(), Local: true), []);
                foreach (var group in GroupKeys(LocalShare(set.Entries, e => e.Key, set.Local), e => e.Key))
                    Send(group.Key, new MultiSetPart(group.Key, group.Value.ToArray()));
                break;
            case CountKeys count:
                for (var p = 0; p < _partitions; p++)
                    Send(p, new CountPart(p, count.WithExpires));
                break;
            case FlushAll:
                for (var p = 0; p < _partitions; p++)
                    Send(p, new FlushPart(p));
                break;
            case ScanKeys scan:
                if (!ScanCursor.TryParse(scan.Cursor, _partitions, out var partition, out var after))
                {
                    Finish(new Rejected(CacheErrorCode.InvalidCursor));
                    return;
                }
                _scanCount = scan.Count;
                _scanType = scan.Type;
                Send(partition, new ScanPart(partition, after, scan.Count, scan.Type));
                break;
        }
        if (_outstanding.Count == 0 && _request.Command is MultiGet or MultiSet)
            Complete();
    }

    private int _scanCount;
    private string? _scanType;
    private readonly List<CacheKey> _scanned = [];

    private void OnPartReply(ClientResponse response)
    {
        if (!_outstanding.Remove(response.CorrelationId, out var partition))
            return;
        if (_keysOf.Remove(response.CorrelationId, out var keys) && response.Reply is Values values)
        {
            for (var i = 0; i < keys.Length && i < values.Items.Length; i++)
                _found[keys[i]] = values.Items[i];
            if (_outstanding.Count == 0)
                Complete();
            return;
        }
        if (response.Reply is Rejected rejected)
        {
            Finish(rejected);
            return;
        }
        if (response.Reply is PartPage page)
        {
            _scanned.AddRange(page.Keys);
            var next = page.Next is not null ? (partition, page.Next) : (partition + 1, (CacheKey?)null);
            if (next.Item1 >= _partitions)
                Finish(new KeyPage(_scanned.ToArray(), ScanCursor.Start));
            else if (_scanned.Count >= _scanCount)
                Finish(new KeyPage(_scanned.ToArray(), ScanCursor.Format(next.Item1, next.Item2)));
            else
                Send(next.Item1, new ScanPart(next.Item1, next.Item2, _scanCount - _scanned.Count, _scanType));
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
                Finish(new Values(get.Keys.Select(k => _found.GetValueOrDefault(k)).ToArray()));
                break;
            case CountKeys { WithExpires: true }:
                Finish(new KeyCount(_replies.Values.Sum(r => ((KeyCount)r).Keys), _replies.Values.Sum(r => ((KeyCount)r).Expires)));
                break;
            case CountKeys:
                Finish(new CounterValue(_replies.Values.Sum(r => ((CounterValue)r).Value)));
                break;
            default:
                Finish(Stored.Instance);
                break;
        }
    }

    private void Send(int partition, IPartitionCommand command, CacheKey[]? keys = null)
    {
        var id = ++_nextId;
        _outstanding[id] = partition;
        if (keys is not null)
            _keysOf[id] = keys;
        var requestId = command is IWriteCommand ? PartRequestId(_request.RequestId, partition) : Guid.Empty;
        _region.Tell(new ClientRequest(id, command, requestId, _request.DeadlineUnixMs), Self);
    }

    private void Finish(ICacheReply reply)
    {
        _replyTo.Tell(new ClientResponse(_request.CorrelationId, reply));
        Context.Stop(Self);
    }

    /// <summary>The share of another node's gateway: one message, carrying the client's request id (the
    /// receiving gateway derives each partition's id from it, exactly as this one would).</summary>
    private void SendToNode(Address node, IFanOutCommand command, CacheKey[] keys)
    {
        var id = ++_nextId;
        _outstanding[id] = -1;
        if (command is MultiGet)
            _keysOf[id] = keys;
        Context.ActorSelection(new RootActorPath(node) / "user" / GatewayActor.Name)
            .Tell(new ClientRequest(id, command, _request.RequestId, _request.DeadlineUnixMs), Self);
    }

    private Address? RemoteNodeOf(CacheKey key)
    {
        var node = _shardMap.NodeOf(KeyHasher.PartitionOf(key, _partitions) % _shards);
        return node is null || node == SelfAddress ? null : node;
    }

    private Address SelfAddress => Akka.Cluster.Cluster.Get(Context.System).SelfAddress;

    private IEnumerable<(Address Node, List<T> Items)> GroupByNode<T>(IEnumerable<T> items, Func<T, CacheKey> key, bool local)
    {
        if (local)
            return [];
        var groups = new Dictionary<Address, List<T>>();
        foreach (var item in items)
        {
            if (RemoteNodeOf(key(item)) is not { } node)
                continue;
            if (!groups.TryGetValue(node, out var list))
                groups[node] = list = [];
            list.Add(item);
        }
        return groups.Select(g => (g.Key, g.Value));
    }

    private IEnumerable<T> LocalShare<T>(IEnumerable<T> items, Func<T, CacheKey> key, bool local) =>
        local ? items : items.Where(item => RemoteNodeOf(key(item)) is null);

    private Dictionary<int, List<T>> GroupKeys<T>(IEnumerable<T> items, Func<T, CacheKey> key)
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

    // The key travels as base64 of its bytes: what it was when keys were strings (base64 of their UTF-8), so
    // a cursor handed out before the change still continues where it was.
    public static string Format(int partition, CacheKey? after) =>
        after is not { } key
            ? partition.ToString(CultureInfo.InvariantCulture)
            : partition.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(key.AsSpan());

    public static bool TryParse(string? cursor, int partitions, out int partition, out CacheKey? after)
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
            after = new CacheKey(Convert.FromBase64String(cursor[(colon + 1)..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
