using System.Diagnostics;

namespace DistCache.Tests.Support;

/// <summary>Polls a condition of a running cluster until it holds or a deadline passes (the async
/// counterpart of TestKit's AwaitAssert, for tests that are not TestKit classes).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = within ?? TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"timed out after {limit.TotalSeconds:0} s waiting until {what}");
            await Task.Delay(50);
        }
    }
}
