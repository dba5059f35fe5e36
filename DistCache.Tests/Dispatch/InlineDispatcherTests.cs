using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using DistCache.Actors.Cluster;
using DistCache.Actors.Dispatch;

namespace DistCache.Tests.Dispatch;

/// <summary>The partitions' dispatcher, as the shipped HOCON configures it: an idle actor runs on a sender's
/// thread that allowed it, and the actor model's guarantees hold whichever thread runs it.</summary>
public sealed class InlineDispatcherTests() : TestKit(HoconResources.Load("distcache.conf"))
{
    private InlineDispatcher Dispatcher => (InlineDispatcher)Sys.Dispatchers.Lookup(DistCacheNode.PartitionDispatcher);

    private IActorRef Start(Props props) => Sys.ActorOf(props.WithDispatcher(DistCacheNode.PartitionDispatcher));

    [Fact]
    public void An_idle_actor_runs_on_the_senders_thread_only_when_the_sender_allows_it()
    {
        var threads = new BlockingCollection<int>();
        var actor = Start(Props.Create(() => new ThreadRecorder(threads)));
        RunOnOwnThread(() =>
        {
            // Not allowed: the message is queued to the pool.
            actor.Tell("first");
            Assert.True(threads.TryTake(out var pooled, TimeSpan.FromSeconds(10)));
            Assert.NotEqual(Environment.CurrentManagedThreadId, pooled);

            // Allowed (and the actor idle): it has run by the time Tell returns.
            using (CallerRuns.Allow())
                actor.Tell("second");
            Assert.True(threads.TryTake(out var inline, TimeSpan.Zero));
            Assert.Equal(Environment.CurrentManagedThreadId, inline);
        });
        Assert.True(Dispatcher.RunsOnCaller > 0);
    }

    [Fact]
    public void What_an_actor_running_inline_sends_runs_on_the_pool_not_nested_on_the_caller()
    {
        var threads = new BlockingCollection<int>();
        var second = Start(Props.Create(() => new ThreadRecorder(threads)));
        var first = Start(Props.Create(() => new Forwarder(second, threads)));
        RunOnOwnThread(() =>
        {
            // Both started and idle (a new actor's mailbox is busy with its creation for a moment).
            first.Tell("warm-up");
            Assert.True(threads.TryTake(out _, TimeSpan.FromSeconds(10)));
            Assert.True(threads.TryTake(out _, TimeSpan.FromSeconds(10)));

            using (CallerRuns.Allow())
                first.Tell("go");
            Assert.True(threads.TryTake(out var firstThread, TimeSpan.Zero));
            Assert.Equal(Environment.CurrentManagedThreadId, firstThread);
            Assert.True(threads.TryTake(out var secondThread, TimeSpan.FromSeconds(10)));
            Assert.NotEqual(Environment.CurrentManagedThreadId, secondThread);
        });
    }

    [Fact]
    public void Concurrent_senders_inline_and_pooled_see_one_message_at_a_time_and_their_own_order()
    {
        const int Senders = 6;
        const int PerSender = 3000;
        var actor = Start(Props.Create(() => new OrderChecker()));
        var callerBefore = Dispatcher.RunsOnCaller;
        var poolBefore = Dispatcher.RunsOnPool;
        var threads = Enumerable.Range(0, Senders).Select(sender => new Thread(() =>
        {
            // Bursts of ten, each waiting for the previous one's last message to be handled, so the
            // mailbox is now and then idle (inline runs) and now and then busy (queued behind another).
            using var burstDone = new SemaphoreSlim(0);
            for (var seq = 0; seq < PerSender; seq++)
            {
                var message = new Numbered(sender, seq, seq % 10 == 9 ? burstDone : null);
                // Half the senders allow inline runs, the rest never do, so both paths meet at one mailbox.
                if (sender % 2 == 0)
                {
                    using (CallerRuns.Allow())
                        actor.Tell(message);
                }
                else
                    actor.Tell(message);
                if (message.Done is not null && !burstDone.Wait(TimeSpan.FromSeconds(30)))
                    return;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));

        AwaitAssert(() =>
        {
            actor.Tell(OrderChecker.Report.Instance, TestActor);
            var report = ExpectMsg<OrderChecker.Result>();
            Assert.Equal(Senders * PerSender, report.Received);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        actor.Tell(OrderChecker.Report.Instance, TestActor);
        var result = ExpectMsg<OrderChecker.Result>();
        Assert.Equal(0, result.Overlaps);
        Assert.Equal(0, result.OutOfOrder);
        Assert.True(Dispatcher.RunsOnCaller > callerBefore, "no message ran on a sender's thread");
        Assert.True(Dispatcher.RunsOnPool > poolBefore, "no message ran on the pool");
    }

    private static void RunOnOwnThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        if (failure is not null)
            throw new Xunit.Sdk.XunitException("on the sending thread: " + failure);
    }

    private sealed record Numbered(int Sender, int Seq, SemaphoreSlim? Done);

    private sealed class ThreadRecorder : ReceiveActor
    {
        public ThreadRecorder(BlockingCollection<int> threads) => ReceiveAny(_ => threads.Add(Environment.CurrentManagedThreadId));
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef next, BlockingCollection<int> threads) => ReceiveAny(message =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            next.Tell(message);
        });
    }

    /// <summary>Counts messages handled while another was being handled, and any sender's message that did
    /// not follow that sender's previous one.</summary>
    private sealed class OrderChecker : ReceiveActor
    {
        private readonly Dictionary<int, int> _last = new();
        private int _inside;
        private int _received;
        private int _overlaps;
        private int _outOfOrder;

        public OrderChecker()
        {
            Receive<Numbered>(message =>
            {
                if (Interlocked.Increment(ref _inside) != 1)
                    _overlaps++;
                var expected = _last.TryGetValue(message.Sender, out var last) ? last + 1 : 0;
                if (message.Seq != expected)
                    _outOfOrder++;
                _last[message.Sender] = message.Seq;
                _received++;
                // Long enough for a second thread to arrive while this one is inside.
                Thread.SpinWait(200);
                Interlocked.Decrement(ref _inside);
                message.Done?.Release();
            });
            Receive<Report>(_ => Sender.Tell(new Result(_received, _overlaps, _outOfOrder)));
        }

        public sealed class Report
        {
            public static readonly Report Instance = new();
        }

        public sealed record Result(int Received, int Overlaps, int OutOfOrder);
    }
}
