using DistCache.Protocol;

namespace DistCache.Client;

/// <summary>Commands queued to run together, as Redis's MULTI/EXEC: <see cref="ExecuteAsync()"/> sends them as
/// one request, and the partition owning their keys runs them one after another with nothing in between and
/// journals them as one write (all or none survive a crash; a retry after a timeout is answered, not run
/// again). Every key, conditions' too, must be in one Redis Cluster slot: use a hash tag ("{user:42}:name").
/// The task each queuing method returns completes once the transaction ran: with the command's reply, a
/// <see cref="DistCacheException"/> when that command alone was refused (the others still apply, as in Redis),
/// or cancelled when a condition failed and nothing ran. Not thread-safe: build it on one thread.</summary>
public sealed class DistCacheTransaction
{
    private readonly DistCacheClient _client;
    private readonly Func<IClientCommand, Task<ICacheReply>> _send;
    private readonly List<IClientCommand> _commands = [];
    private readonly List<TaskCompletionSource<ICacheReply>> _replies = [];
    private readonly List<WatchedKey> _conditions = [];
    private bool _executed;

    internal DistCacheTransaction(DistCacheClient client, Func<IClientCommand, Task<ICacheReply>> send)
    {
        _client = client;
        _send = send;
    }

    /// <summary>The transaction runs only if <paramref name="key"/> still has <paramref name="version"/> (from
    /// <see cref="DistCacheClient.GetWithVersionAsync{T}"/>; 0: only if it still does not exist). Any write,
    /// change of its time to live (not the slide of a sliding expiry), expiry, deletion or eviction of the key
    /// since changes its version (Redis's WATCH).</summary>
    public DistCacheTransaction WhenUnchanged(CacheKey key, long version)
    {
        EnsureOpen();
        _conditions.Add(new WatchedKey(key, version));
        return this;
    }

    public Task SetAsync<T>(CacheKey key, T value, TimeSpan? ttl = null) =>
        Queue<Stored>(new SetValue(key, _client.Encode(value), Expiry.From(ttl)));

    /// <summary>The value as it is when the transaction runs, or <c>default</c> when missing.</summary>
    public async Task<T?> GetAsync<T>(CacheKey key) =>
        (await Queue<Found>(new GetValue(key)).ConfigureAwait(false)).Value is { } value ? ValueCodec.Decode<T>(value) : default;

    public async Task<long> IncrementAsync(CacheKey key, long by = 1) =>
        (await Queue<CounterValue>(new IncrementBy(key, by)).ConfigureAwait(false)).Value;

    public Task<long> DecrementAsync(CacheKey key, long by = 1) =>
        by == long.MinValue ? throw DistCacheException.From(new Rejected(CacheErrorCode.IntegerOverflow)) : IncrementAsync(key, -by);

    public async Task<bool> DeleteAsync(CacheKey key) =>
        (await Queue<Deleted>(new DeleteKey(key)).ConfigureAwait(false)).Existed;

    public async Task<bool> ExpireAsync(CacheKey key, TimeSpan ttl) =>
        (await Queue<Existence>(new ExpireKey(key, Expiry.After(ttl))).ConfigureAwait(false)).Exists;

    /// <summary>Any single-partition protocol command (a hash, list, set or sorted-set command, say); its raw reply.</summary>
    public Task<ICacheReply> AddAsync(IClientCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        EnsureOpen();
        var reply = new TaskCompletionSource<ICacheReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Add(command);
        _replies.Add(reply);
        return reply.Task;
    }

    /// <summary>Runs the queued commands; false when a condition failed and nothing ran. Throws
    /// <see cref="DistCacheException"/> when the transaction as a whole is refused (keys in two slots, a command
    /// that cannot be part of one); nothing ran then either.</summary>
    public async Task<bool> ExecuteAsync()
    {
        EnsureOpen();
        _executed = true;
        ICacheReply reply;
        try
        {
            if (_commands.Count == 0 && _conditions.Count == 0)
                return true;
            reply = await _send(new Transaction(_commands.ToArray(), _conditions.ToArray())).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _replies.ForEach(r => r.TrySetException(ex));
            throw;
        }
        if (reply is Rejected rejected)
        {
            var error = DistCacheException.From(rejected);
            _replies.ForEach(r => r.TrySetException(error));
            throw error;
        }
        if (reply is not TransactionResult { Replies: { } replies })
        {
            _replies.ForEach(r => r.TrySetCanceled());
            return false;
        }
        for (var i = 0; i < _replies.Count; i++)
        {
            if (replies[i] is Rejected refused)
                _replies[i].TrySetException(DistCacheException.From(refused));
            else
                _replies[i].TrySetResult(replies[i]);
        }
        return true;
    }

    private async Task<TReply> Queue<TReply>(IClientCommand command) where TReply : ICacheReply =>
        await AddAsync(command).ConfigureAwait(false) is TReply expected
            ? expected
            : throw new InvalidOperationException($"Unexpected reply to {command.GetType().Name}");

    private void EnsureOpen()
    {
        if (_executed)
            throw new InvalidOperationException("This transaction was executed already; create another");
    }
}
