using System.Globalization;
using System.Text;
using DistCache.Protocol;
using DistCache.Client;
using DistCache.Actors.Cluster;
using DistCache.Host.Resp.Acl;
using DistCache.Host.Resp.RedisCluster;
using DistCache.Host.Resp.PubSub;
using DistCache.Actors.PubSub;
using DistCache.Host.Resp.Tracking;

namespace DistCache.Host.Resp;

/// <summary>Maps Redis commands onto DistCache's protocol: pure, so every command's parsing, arity,
/// options and error wording is tested without a network or a cluster.</summary>
public sealed class RespCommands(
    Func<RespNodeInfo> node, RespSettings? access = null, RespUsers? users = null, RespClients? clients = null, RespConfig? config = null,
    RespClusterCommands? cluster = null, PubSubBroker? pubSub = null, RespTracking? tracking = null)
{
    // Without a server behind it (tests of the mapping alone): a broker of its own, on no cluster.
    private readonly RespPubSubCommands _pubSub = new(pubSub ?? new PubSubBroker());

    // Without a server behind it (tests of the mapping alone): standalone.
    private readonly RespClusterCommands _cluster = cluster ?? RespClusterCommands.Off;

    public const string CompatibleVersion = "7.2.0";

    private static readonly RespValue NotIntegerError = RespValue.Error("ERR value is not an integer or out of range");
    private static readonly RespValue NotInteger = NotIntegerError;
    private static readonly RespValue Syntax = RespValue.Error("ERR syntax error");

    private readonly RespAuthenticator _auth = new(access ?? RespSettings.Open, users);
    // Without a server (tests of the mapping alone): no other connections, Redis's defaults.
    private readonly RespClients _clients = clients ??= new RespClients();
    private readonly RespConfig _config = config ??= RespConfig.Default;
    private readonly RespClientCommand _client = new(clients!);
    // Without a server behind it (tests of the mapping alone): a hub of its own, on no cluster.
    private readonly RespTracking _tracking = tracking ??= new RespTracking(new Actors.Notifications.InvalidationHub(), clients!);
    private readonly RespInfoCommand _info = new(node, clients!, config!, () => tracking!.Clients);
    private readonly RespTrackingCommands _trackingCommands = new(tracking!, clients!);

    /// <summary>A command of many steps stopped because its client left (INFO stats).</summary>
    public void Abandoned() => _clients.Abandoned();

    /// <summary>A connection starts or stops waiting in a blocking command (INFO's blocked_clients).</summary>
    public void Blocking(bool starts) => _clients.Blocking(starts);

    /// <summary>The commands this endpoint answers: the names of <see cref="RespCommandTable"/>.</summary>
    public static readonly string[] Supported = RespCommandTable.All.Select(c => c.Name).ToArray();

    /// <summary>A connection that ends leaves its channels and stops tracking keys.</summary>
    public void Ended(RespSession session)
    {
        _pubSub.Forget(session);
        _tracking.Disable(session);
    }

    /// <summary>A command of a tracking connection starts (its plan carries <see cref="RespPlan.Tracked"/>).</summary>
    public void Started(RespSession session, TrackedKeys keys) => _tracking.Started(session, keys);

    // RESET also leaves every channel and pattern and turns tracking off, as in Redis.
    private RespPlan Reset(RespSession session)
    {
        _pubSub.Forget(session);
        _tracking.Disable(session);
        return RespAuthenticator.ResetSession(session);
    }

    /// <summary>Whether the connection may run commands (it authenticated, or user default needs no password).</summary>
    public bool IsAuthenticated(RespSession session) => _auth.IsAuthenticated(session);

    public RespPlan Map(RespArgs args, RespSession session)
    {
        var plan = session.Transaction.Active ? RespTransactionCommands.Queue(args, session, () => MapNow(args, session)) : MapNow(args, session);
        // CLIENT CACHING's answer holds for the next command, or the next transaction (Redis's resetClient).
        if (session.Tracking.Caching && !session.Transaction.Active && args.Count > 0 && args.Word(0) != "CLIENT")
            session.Tracking.Caching = false;
        return plan;
    }

    private RespPlan MapNow(RespArgs args, RespSession session)
    {
        var plan = MapCommand(args, session);
        return session.Tracking.Mode is null ? plan : RespTrackingCommands.Annotate(plan, args, session);
    }

    private RespPlan MapCommand(RespArgs args, RespSession session)
    {
        if (args.Count == 0)
            return new Immediate(RespValue.Error("ERR empty command"));
        var name = args.Word(0);
        // Before the password only AUTH, HELLO, QUIT and RESET run. Redis checks a command's existence and arity
        // first; answering NOAUTH first is a deviation that tells an unauthenticated client nothing.
        if (!_auth.IsAuthenticated(session) && !RespAuthenticator.RunsBeforeAuth(name))
            return new Immediate(RespAuthenticator.NoAuth);
        // The table decides what exists and its arity, then the user's ACL, before any command runs.
        if (RespCommandTable.Find(name) is not { } command)
            return new Immediate(Unknown(args));
        if (!command.AcceptsArgCount(args.Count))
            return Arity(command.Name);
        if (_auth.UserOf(session) is { } user && AclCheck.Denied(user, command, args) is { } denied)
            return new Immediate(denied);
        // A RESP2 connection with a subscription reads only pushes, so it may only change its subscriptions.
        if (session.Protocol == 2 && session.Subscriptions.Any)
        {
            if (!RespPubSubCommands.AllowedWhileSubscribed.Contains(command.Name))
                return new Immediate(RespPubSubCommands.NotAllowedWhileSubscribed(command.Name));
            if (command.Name == "PING")
                return new Immediate(RespPubSubCommands.SubscribedPing(args));
        }
        // A cluster client that sent a key to the wrong node is told where it lives, as Redis Cluster does.
        if (_cluster.Redirect(command, args, session) is { } redirect)
            return new Immediate(redirect);
        return name switch
        {
            "PING" => args.Count switch { 1 => new Immediate(RespValue.Pong), 2 => new Immediate(new RespBulk(args.Bytes(1))), _ => Arity(name) },
            "ECHO" => args.Count == 2 ? new Immediate(new RespBulk(args.Bytes(1))) : Arity(name),
            "QUIT" => new Quit(),
            "AUTH" => _auth.Auth(args, session),
            "SELECT" => args.Count != 2 ? Arity(name)
                : !args.TryInteger(1, out var db) ? new Immediate(NotInteger)
                : new Immediate(db == 0 ? RespValue.Ok : RespValue.Error("ERR DB index is out of range")),
            "HELLO" => Hello(args, session),
            "CLIENT" => Client(args, session),
            "COMMAND" => new Immediate(RespCommandReplies.Reply(args)),
            "ACL" => new Immediate(AclCommand.Reply(args, _auth.UserOf(session)!)),
            "RESET" => Reset(session),
            "SUBSCRIBE" or "PSUBSCRIBE" or "SSUBSCRIBE" or "UNSUBSCRIBE" or "PUNSUBSCRIBE" or "SUNSUBSCRIBE" or "PUBLISH" or "SPUBLISH" or "PUBSUB" =>
                _pubSub.Map(name, args, session, _auth.UserOf(session)),
            "CONFIG" => new Immediate(_config.Reply(args, _clients)),
            "INFO" => _info.Plan(args),
            "CLUSTER" => _cluster.Cluster(args, session),
            "READONLY" or "READWRITE" or "ASKING" => _cluster.Connection(name, session),
            "GET" => args.Count == 2 ? Call(new GetValue(args.Key(1)), FoundValue) : Arity(name),
            "SET" => Set(args),
            "SETNX" => args.Count == 3
                ? Call(new SetValue(args.Key(1), Value(args, 2), When: SetCondition.IfAbsent), r => Flag(((Written)r).Applied))
                : Arity(name),
            "SETEX" or "PSETEX" => SetWithExpiry(args, name),
            "GETSET" => args.Count == 3 ? Call(new GetAndSet(args.Key(1), Value(args, 2)), FoundValue) : Arity(name),
            "GETDEL" => args.Count == 2 ? Call(new GetAndDelete(args.Key(1)), FoundValue) : Arity(name),
            "DEL" or "UNLINK" => args.Count >= 2
                ? new ClusterCall(Enumerable.Range(1, args.Count - 1).Select(i => (IClientCommand)new DeleteKey(args.Key(i))).ToArray(),
                    replies => new RespInteger(replies.Count(r => ((Deleted)r).Existed)))
                : Arity(name),
            "EXISTS" => args.Count >= 2
                ? new ClusterCall(Enumerable.Range(1, args.Count - 1).Select(i => (IClientCommand)new KeyExists(args.Key(i))).ToArray(),
                    replies => new RespInteger(replies.Count(r => ((Existence)r).Exists)))
                : Arity(name),
            "TYPE" => args.Count == 2 ? Call(new DescribeKey(args.Key(1)), r => new RespSimple(((KeyDescription)r).Type)) : Arity(name),
            "INCR" => args.Count == 2 ? Call(new IncrementBy(args.Key(1), 1), Counter) : Arity(name),
            "DECR" => args.Count == 2 ? Call(new IncrementBy(args.Key(1), -1), Counter) : Arity(name),
            "INCRBY" or "DECRBY" => IncrementBy(args, name),
            "APPEND" => args.Count == 3 ? Call(new AppendValue(args.Key(1), args.Bytes(2)), Counter) : Arity(name),
            "STRLEN" => args.Count == 2
                ? Call(new GetValue(args.Key(1)), r => new RespInteger(((Found)r).Value is { } v ? Bytes(v).Length : 0))
                : Arity(name),
            "EXPIRE" or "PEXPIRE" or "EXPIREAT" or "PEXPIREAT" => RespExpiryCommands.Expire(args, name),
            "EXPIRETIME" or "PEXPIRETIME" => RespExpiryCommands.ExpireTime(args, name),
            "TOUCH" => RespExpiryCommands.Touch(args),
            "GETRANGE" or "SUBSTR" => RespStringCommands.GetRange(args, name),
            "SETRANGE" => RespStringCommands.SetRange(args),
            "INCRBYFLOAT" => RespStringCommands.IncrementByFloat(args),
            "MSETNX" => RespStringCommands.MultiSetIfAbsent(args),
            "RENAME" or "RENAMENX" => RespKeyCommands.Rename(args, name),
            "COPY" => RespKeyCommands.Copy(args),
            "KEYS" => RespKeyCommands.Keys(args, VisibleTo(session)),
            "LCS" => RespStringCommands.Lcs(args, long.Parse(_config.Value("proto-max-bulk-len")!)),
            "RANDOMKEY" => RespKeyCommands.RandomKey(args, ReadableBy(session)),
            "OBJECT" => RespKeyCommands.Object(args),
            "SETBIT" => RespBitCommands.SetBit(args),
            "GETBIT" => RespBitCommands.GetBit(args),
            "BITCOUNT" => RespBitCommands.BitCount(args),
            "BITPOS" => RespBitCommands.BitPos(args),
            "GETEX" => GetEx(args),
            "TTL" => args.Count == 2 ? Call(new TimeToLive(args.Key(1)), r => new RespInteger(Seconds(((CounterValue)r).Value))) : Arity(name),
            "PTTL" => args.Count == 2 ? Call(new TimeToLive(args.Key(1)), Counter) : Arity(name),
            "PERSIST" => args.Count == 2 ? Call(new PersistKey(args.Key(1)), r => Flag(((Existence)r).Exists)) : Arity(name),
            "MGET" => args.Count >= 2
                ? Call(new MultiGet(Enumerable.Range(1, args.Count - 1).Select(args.Key).ToArray()),
                    r => new RespArray(((Values)r).Items.Select(v => v is null ? RespValue.Null : new RespBulk(Bytes(v))).ToArray()), true)
                : Arity(name),
            "MSET" => args.Count >= 3 && args.Count % 2 == 1
                ? Call(new MultiSet(Enumerable.Range(0, args.Count / 2).Select(i => new KeyedValue(args.Key(1 + 2 * i), Value(args, 2 + 2 * i))).ToArray()),
                    _ => RespValue.Ok, true)
                : Arity(name),
            "DBSIZE" => args.Count == 1 ? Call(CountKeys.Instance, Counter, true) : Arity(name),
            // Only ASYNC or SYNC may follow, as in Redis: "FLUSHDB 1", meant for database 1, must not empty the cache.
            "FLUSHALL" or "FLUSHDB" => args.Count == 1 || (args.Count == 2 && args.Text(1).ToUpperInvariant() is "ASYNC" or "SYNC")
                ? Call(FlushAll.Instance, _ => RespValue.Ok, true)
                : new Immediate(Syntax),
            "SCAN" => Scan(args, session),
            "MULTI" or "EXEC" or "DISCARD" or "WATCH" or "UNWATCH" => RespTransactionCommands.Map(args, name, session),
            "HSET" or "HSETNX" or "HMSET" or "HGET" or "HMGET" or "HDEL" or "HEXISTS" or "HLEN" or "HSTRLEN" or "HKEYS" or "HVALS" or "HGETALL"
                or "HINCRBY" or "HINCRBYFLOAT" or "HRANDFIELD" or "HSCAN" => RespHashCommands.Map(args, name, session),
            "LPUSH" or "RPUSH" or "LPUSHX" or "RPUSHX" or "LPOP" or "RPOP" or "LLEN" or "LINDEX" or "LSET" or "LRANGE" or "LTRIM" or "LREM"
                or "LINSERT" or "LPOS" or "LMOVE" or "RPOPLPUSH" or "LMPOP" => RespListCommands.Map(args, name),
            "BLPOP" or "BRPOP" or "BLMOVE" or "BRPOPLPUSH" or "BLMPOP" or "BZPOPMIN" or "BZPOPMAX" or "BZMPOP" => RespBlockingCommands.Map(args, name, once: session.Transaction.Active),
            "ZADD" or "ZINCRBY" or "ZSCORE" or "ZMSCORE" or "ZCARD" or "ZRANK" or "ZREVRANK" or "ZCOUNT" or "ZLEXCOUNT" or "ZRANGE"
                or "ZRANGESTORE" or "ZREVRANGE" or "ZRANGEBYSCORE" or "ZREVRANGEBYSCORE" or "ZRANGEBYLEX" or "ZREVRANGEBYLEX" or "ZREM"
                or "ZREMRANGEBYRANK" or "ZREMRANGEBYSCORE" or "ZREMRANGEBYLEX" or "ZPOPMIN" or "ZPOPMAX" or "ZMPOP" or "ZRANDMEMBER"
                or "ZSCAN" or "ZUNION" or "ZINTER" or "ZDIFF" or "ZUNIONSTORE" or "ZINTERSTORE" or "ZDIFFSTORE" or "ZINTERCARD"
                => RespSortedSetCommands.Map(args, name, session),
            "SADD" or "SREM" or "SMEMBERS" or "SISMEMBER" or "SMISMEMBER" or "SCARD" or "SPOP" or "SRANDMEMBER" or "SMOVE" or "SINTER"
                or "SINTERCARD" or "SUNION" or "SDIFF" or "SINTERSTORE" or "SUNIONSTORE" or "SDIFFSTORE" or "SSCAN" => RespSetCommands.Map(args, name, session),
            // Only a row of the table without a case here gets this (RespCommandTableTests catches it).
            _ => new Immediate(RespValue.Error($"ERR '{name}' is in the command table but has no handler")),
        };
    }

    private static RespValue Unknown(RespArgs args) => RespValue.Error(
        $"ERR unknown command '{args.Text(0)}', with args beginning with: {string.Concat(Enumerable.Range(1, Math.Min(8, args.Count - 1)).Select(i => $"'{args.Text(i)}' "))}");

    /// <summary>A rejected command in Redis's words (Redis's own where it has the error; ours, in its
    /// style, for DistCache's limits).</summary>
    public static RespValue ErrorFor(Rejected rejected) => rejected.Code switch
    {
        CacheErrorCode.WrongType => RespValue.Error("WRONGTYPE Operation against a key holding the wrong kind of value"),
        CacheErrorCode.OutOfMemory => RespValue.Error("OOM command not allowed when used memory > 'maxmemory'."),
        CacheErrorCode.NotAnInteger => NotIntegerError,
        CacheErrorCode.IntegerOverflow => RespValue.Error("ERR increment or decrement would overflow"),
        CacheErrorCode.ValueTooLarge => RespValue.Error(
            $"ERR string exceeds maximum allowed size ({rejected.Size} bytes, distcache.max-value-bytes is {rejected.Limit})"),
        CacheErrorCode.KeyTooLong => RespValue.Error(
            $"ERR key is {rejected.Size} bytes, over the limit of {rejected.Limit} bytes (distcache.max-key-bytes)"),
        CacheErrorCode.InvalidKey => RespValue.Error("ERR empty key"),
        CacheErrorCode.InvalidExpireTime => RespValue.Error("ERR invalid expire time"),
        CacheErrorCode.InvalidCursor => RespValue.Error("ERR invalid cursor"),
        CacheErrorCode.InvalidScanCount => Syntax,
        CacheErrorCode.Unavailable => RespValue.Error("TRYAGAIN some partitions did not answer in time"),
        CacheErrorCode.NotAFloat => RespValue.Error("ERR value is not a valid float"),
        CacheErrorCode.FloatOverflow => RespValue.Error("ERR increment would produce NaN or Infinity"),
        CacheErrorCode.NoSuchKey => RespValue.Error("ERR no such key"),
        CacheErrorCode.HashValueNotInteger => RespValue.Error("ERR hash value is not an integer"),
        CacheErrorCode.HashValueNotFloat => RespValue.Error("ERR hash value is not a float"),
        CacheErrorCode.IndexOutOfRange => RespValue.Error("ERR index out of range"),
        CacheErrorCode.ScoreNotANumber => RespValue.Error("ERR resulting score is not a number (NaN)"),
        CacheErrorCode.CollectionTooLong => RespValue.Error(
            $"ERR collection exceeds maximum allowed size ({rejected.Size} elements, distcache.max-collection-elements is {rejected.Limit})"),
        CacheErrorCode.CollectionTooLarge => RespValue.Error(
            $"ERR collection exceeds maximum allowed size ({rejected.Size} bytes of elements, distcache.max-value-bytes is {rejected.Limit})"),
        // Redis Cluster's words for keys in different slots; DistCache's unit is the partition.
        CacheErrorCode.CrossSlot => RespValue.Error("CROSSSLOT Keys in request don't hash to the same slot"),
        CacheErrorCode.NotInTransaction => RespValue.Error("ERR Command not allowed inside a transaction"),
        _ => RespValue.Error($"ERR the cluster rejected the command ({rejected.Code})"),
    };

    /// <summary>What a stored value reads as over RESP: strings and bytes as they are; numbers and
    /// booleans a .NET client stored in binary as their text.</summary>
    public static byte[] Bytes(CacheValue value) => ValueCodec.ToBytes(value);

    private RespPlan Set(RespArgs args)
    {
        if (args.Count < 3)
            return Arity("SET");
        var when = SetCondition.Always;
        var returnPrevious = false;
        var expiry = Expiry.Clear;
        var expirySeen = false;
        for (var i = 3; i < args.Count; i++)
        {
            var option = args.Word(i);
            switch (option)
            {
                case "NX" when when == SetCondition.Always:
                    when = SetCondition.IfAbsent;
                    break;
                case "XX" when when == SetCondition.Always:
                    when = SetCondition.IfPresent;
                    break;
                case "GET" when !returnPrevious:
                    returnPrevious = true;
                    break;
                case "KEEPTTL" when !expirySeen:
                    expiry = Expiry.Keep;
                    expirySeen = true;
                    break;
                case "EX" or "PX" or "EXAT" or "PXAT" when !expirySeen && i + 1 < args.Count:
                    expirySeen = true;
                    if (!args.TryInteger(++i, out var amount))
                        return new Immediate(NotInteger);
                    if (ExpiryFrom(option, amount) is not { } parsed)
                        return new Immediate(RespValue.Error("ERR invalid expire time in 'set' command"));
                    expiry = parsed;
                    break;
                default:
                    return new Immediate(Syntax);
            }
        }
        var command = new SetValue(args.Key(1), Value(args, 2), expiry, when, returnPrevious);
        return Call(command, reply => reply switch
        {
            Found found => FoundValue(found),
            Written { Applied: false } => RespValue.Null,
            _ => RespValue.Ok,
        });
    }

    // EX/PX are relative, EXAT/PXAT absolute (resolved by the partition on its clock; a time already
    // past leaves the key expiring at once, as in Redis); all must be positive.
    private static Expiry? ExpiryFrom(string option, long amount)
    {
        if (amount <= 0)
            return null;
        try
        {
            return option switch
            {
                "EX" => new Expiry(ExpiryKind.After, checked(amount * 1000)),
                "PX" => new Expiry(ExpiryKind.After, amount),
                "EXAT" => Expiry.AtUnixMilliseconds(checked(amount * 1000)),
                _ => Expiry.AtUnixMilliseconds(amount),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private RespPlan SetWithExpiry(RespArgs args, string name)
    {
        if (args.Count != 4)
            return Arity(name);
        if (!args.TryInteger(2, out var amount))
            return new Immediate(NotInteger);
        if (ExpiryFrom(name == "SETEX" ? "EX" : "PX", amount) is not { } expiry)
            return new Immediate(RespValue.Error($"ERR invalid expire time in '{name.ToLowerInvariant()}' command"));
        return Call(new SetValue(args.Key(1), Value(args, 3), expiry), _ => RespValue.Ok);
    }

    private RespPlan IncrementBy(RespArgs args, string name)
    {
        if (args.Count != 3)
            return Arity(name);
        if (!args.TryInteger(2, out var delta))
            return new Immediate(NotInteger);
        if (name == "DECRBY")
        {
            if (delta == long.MinValue)
                return new Immediate(RespValue.Error("ERR decrement would overflow"));
            delta = -delta;
        }
        return Call(new IncrementBy(args.Key(1), delta), Counter);
    }

    // GETEX key [EX s | PX ms | EXAT t | PXAT t | PERSIST]: without an option it is a GET.
    private RespPlan GetEx(RespArgs args)
    {
        if (args.Count < 2)
            return Arity("GETEX");
        var expiry = Expiry.Keep;
        if (args.Count == 3 && args.Word(2) == "PERSIST")
        {
            expiry = Expiry.Clear;
        }
        else if (args.Count == 4 && args.Word(2) is "EX" or "PX" or "EXAT" or "PXAT")
        {
            if (!args.TryInteger(3, out var amount))
                return new Immediate(NotInteger);
            if (ExpiryFrom(args.Word(2)!, amount) is not { } parsed)
                return new Immediate(RespValue.Error("ERR invalid expire time in 'getex' command"));
            expiry = parsed;
        }
        else if (args.Count != 2)
        {
            return new Immediate(Syntax);
        }
        return Call(new GetAndExpire(args.Key(1), expiry), FoundValue);
    }

    private RespPlan Scan(RespArgs args, RespSession session)
    {
        if (args.Count < 2 || args.Count % 2 != 0)
            return args.Count < 2 ? Arity("SCAN") : new Immediate(Syntax);
        if (!session.Cursors.TryResolve(args.Text(1), out var cursor))
            return new Immediate(RespValue.Error("ERR invalid cursor"));
        var count = 10L;
        byte[]? pattern = null;
        string? type = null;
        for (var i = 2; i < args.Count; i += 2)
        {
            switch (args.Word(i))
            {
                case "COUNT":
                    if (!args.TryInteger(i + 1, out count))
                        return new Immediate(NotInteger);
                    if (count < 1)
                        return new Immediate(Syntax);
                    break;
                case "MATCH":
                    pattern = args.Bytes(i + 1);
                    break;
                case "TYPE":
                    // The partitions list only keys of the type (Redis filters after collecting, so its
                    // pages may come back emptier); a type DistCache does not hold yet matches nothing.
                    type = args.Text(i + 1).ToLowerInvariant();
                    break;
                default:
                    return new Immediate(Syntax);
            }
        }
        // A user limited to some keys sees only those (Redis would list every key name).
        var visible = VisibleTo(session);
        return Call(new ScanKeys(cursor, (int)Math.Min(count, 1000), type), reply =>
        {
            var page = (KeyPage)reply;
            var keys = page.Keys.Where(k => (pattern is null || Glob.Matches(pattern, k)) && (visible is null || visible(k)));
            return new RespArray([
                RespValue.Bulk(session.Cursors.Publish(page.Cursor)),
                new RespArray(keys.Select(RespValue.Bulk).ToArray()),
            ]);
        }, true);
    }

    // Key names a user limited to some keys may see (any of its patterns, as for EXISTS); null: every key.
    private Func<CacheKey, bool>? VisibleTo(RespSession session) =>
        _auth.UserOf(session) is { AllKeys: false } user ? key => user.CanAccess(key, read: false, write: false) : null;

    // Keys whose value such a user may read (RANDOMKEY answers one of them); null: every key.
    private Func<CacheKey, bool>? ReadableBy(RespSession session) =>
        _auth.UserOf(session) is { AllKeys: false } user ? key => user.CanAccess(key, read: true, write: false) : null;

    // HELLO [protover [AUTH user pass] [SETNAME name]], in Redis's order (src/networking.c helloCommand):
    // the version, the options' syntax, then the credentials, then, only once authenticated, the
    // protocol and name are applied; a failure applies nothing.
    private RespPlan Hello(RespArgs args, RespSession session)
    {
        var protocol = session.Protocol;
        var i = 1;
        if (args.Count > 1)
        {
            if (!args.TryInteger(1, out var version))
                return new Immediate(RespValue.Error("ERR Protocol version is not an integer or out of range"));
            if (version is not (2 or 3))
                return new Immediate(RespValue.Error("NOPROTO unsupported protocol version"));
            protocol = (int)version;
            i = 2;
        }
        string? name = null;
        var credentials = 0;
        for (; i < args.Count; i++)
        {
            switch (args.Word(i))
            {
                case "AUTH" when i + 2 < args.Count:
                    credentials = i + 1;
                    i += 2;
                    break;
                case "SETNAME" when i + 1 < args.Count:
                    name = args.Text(++i);
                    if (!ValidName(name))
                        return new Immediate(BadName);
                    break;
                default:
                    return new Immediate(RespValue.Error($"ERR Syntax error in HELLO option '{args.Text(i)}'"));
            }
        }
        if (credentials > 0 && _auth.Attempt(args[credentials], args[credentials + 1], session) is { } failed)
            return failed;
        if (!_auth.IsAuthenticated(session))
            return new Immediate(RespAuthenticator.HelloNoAuth);
        session.Protocol = protocol;
        if (name is not null)
            session.Name = name;
        return new Immediate(new RespMap([
            Pair("server", RespValue.Bulk("redis")),
            Pair("version", RespValue.Bulk(CompatibleVersion)),
            Pair("proto", new RespInteger(protocol)),
            Pair("id", new RespInteger(session.Id)),
            Pair("mode", RespValue.Bulk(_cluster.Enabled ? "cluster" : "standalone")),
            Pair("role", RespValue.Bulk("master")),
            Pair("modules", RespValue.EmptyArray),
        ]));
    }

    private static readonly RespValue BadName = RespValue.Error("ERR Client names cannot contain spaces, newlines or special characters.");

    private static bool ValidName(string name) => name.All(c => c > ' ' && c <= '~');

    private RespPlan Client(RespArgs args, RespSession session)
    {
        if (args.Count < 2)
            return Arity("CLIENT");
        return args.Word(1) switch
        {
            "SETNAME" when args.Count == 3 => SetName(args.Text(2), session),
            "GETNAME" when args.Count == 2 => new Immediate(session.Name is { Length: > 0 } n ? RespValue.Bulk(n) : RespValue.Null),
            "ID" when args.Count == 2 => new Immediate(new RespInteger(session.Id)),
            "SETINFO" when args.Count == 4 => new Immediate(RespClientCommand.SetInfo(args, session)),
            "TRACKING" or "CACHING" or "GETREDIR" or "TRACKINGINFO" => new Immediate(_trackingCommands.Reply(args.Word(1)!, args, session)!),
            _ => _client.Reply(args, session, _auth.UserOf(session), _auth.UserExists),
        };
    }

    private static RespPlan SetName(string name, RespSession session)
    {
        if (name.Length > 0 && !ValidName(name))
            return new Immediate(BadName);
        session.Name = name;
        return new Immediate(RespValue.Ok);
    }

    private static RespPlan Call(IClientCommand command, Func<ICacheReply, RespValue> answer, bool afterEarlierReplies = false) =>
        new ClusterCall([command], replies => answer(replies[0]), afterEarlierReplies);

    private static Immediate Arity(string name) =>
        new(RespValue.Error($"ERR wrong number of arguments for '{name.ToLowerInvariant()}' command"));

    private static RespValue FoundValue(ICacheReply reply) => ((Found)reply).Value is { } value ? new RespBulk(Bytes(value)) : RespValue.Null;

    private static RespValue Counter(ICacheReply reply) => new RespInteger(((CounterValue)reply).Value);

    private static RespValue Flag(bool value) => new RespInteger(value ? 1 : 0);

    // Redis rounds TTL to the nearest second; -1 (no expiry) and -2 (missing) pass through.
    private static long Seconds(long milliseconds) => milliseconds < 0 ? milliseconds : (milliseconds + 500) / 1000;

    private static KeyValuePair<RespValue, RespValue> Pair(string key, RespValue value) => new(RespValue.Bulk(key), value);

    // Text stays a string (so INCR works on "10" and .NET clients read it back as a string); anything
    // that is not UTF-8 is kept as bytes.
    private static CacheValue Value(RespArgs args, int index) =>
        new(System.Text.Unicode.Utf8.IsValid(args[index]) ? ValueKind.String : ValueKind.Bytes, args.Bytes(index));


}

/// <summary>What INFO reports about the node serving the connection.</summary>
public sealed record RespNodeInfo(string Version, string NodeAddress, int Port, int ConnectedClients, TimeSpan Uptime)
{
    /// <summary>Bytes of keys and values the partitions on this node hold (DistCache's estimate).</summary>
    public long UsedMemoryBytes { get; init; }

    /// <summary>distcache.resp.cluster-mode is auto or on (INFO's redis_mode and cluster_enabled).</summary>
    public bool ClusterEnabled { get; init; }

    /// <summary>distcache.durability, as INFO's persistence section names it.</summary>
    public string Durability { get; init; } = "always";
}
