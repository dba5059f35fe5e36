using Akka.Actor;
using Akka.TestKit.Xunit2;
using DistCache.Actors.Gateway;

namespace DistCache.Tests.Gateway;

public sealed class LocalPartitionsTests : TestKit
{
    [Fact]
    public void Only_the_registered_incarnation_unregisters()
    {
        var local = new LocalPartitions(4);
        var old = CreateTestProbe().Ref;
        var successor = CreateTestProbe().Ref;
        local.Serving(2, old);
        local.Serving(2, successor);
        local.Stopping(2, old); // the old incarnation's late stop
        Assert.Same(successor, local.Find(2));
        local.Stopping(2, successor);
        Assert.Null(local.Find(2));
        Assert.Null(local.Find(4));
        Assert.Null(local.Find(-1));
    }
}
