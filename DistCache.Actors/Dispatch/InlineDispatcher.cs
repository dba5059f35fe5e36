using Akka.Configuration;
using Akka.Dispatch;

namespace DistCache.Actors.Dispatch;

/// <summary>Runs an actor's mailbox on the thread that sent it a message when that thread allowed it
/// (<see cref="CallerRuns"/>) and the mailbox was idle; otherwise on the thread pool like Akka's default
/// dispatcher. The mailbox's own scheduled flag still lets one thread at a time run it, and its queue keeps
/// each sender's order, so the actor model's guarantees are those of any dispatcher: what changes is only
/// which thread does the work, and that the sender's thread hands off nothing.</summary>
public sealed class InlineDispatcher(MessageDispatcherConfigurator configurator, string id, int throughput, long? throughputDeadlineTime,
    ExecutorServiceFactory executor, TimeSpan shutdownTimeout)
    : Dispatcher(configurator, id, throughput, throughputDeadlineTime, executor, shutdownTimeout)
{
    private long _callerRuns;
    private long _poolRuns;

    /// <summary>Mailbox runs done on a sender's thread, for the node's metrics and tests.</summary>
    public long RunsOnCaller => Interlocked.Read(ref _callerRuns);

    /// <summary>Mailbox runs queued to the thread pool.</summary>
    public long RunsOnPool => Interlocked.Read(ref _poolRuns);

    protected override void ExecuteTask(IRunnable run)
    {
        if (!CallerRuns.Take())
        {
            Interlocked.Increment(ref _poolRuns);
            base.ExecuteTask(run);
            return;
        }
        Interlocked.Increment(ref _callerRuns);
        try
        {
            run.Run();
        }
        finally
        {
            CallerRuns.Give();
        }
    }
}

/// <summary>Named in HOCON as a dispatcher's <c>type</c>; reads <c>throughput</c>, <c>throughput-deadline-time</c>,
/// <c>executor</c> and <c>shutdown-timeout</c> like Akka's own dispatcher.</summary>
public sealed class InlineDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly InlineDispatcher _instance;

    public InlineDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites) : base(config, prerequisites)
    {
        var deadline = Config.GetTimeSpan("throughput-deadline-time", null);
        _instance = new InlineDispatcher(this, Config.GetString("id"), Config.GetInt("throughput"),
            deadline.Ticks > 0 ? deadline.Ticks : null, ConfigureExecutor(), Config.GetTimeSpan("shutdown-timeout"));
    }

    public override MessageDispatcher Dispatcher() => _instance;
}
