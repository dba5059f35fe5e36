using DistCache.Actors.Gateway;

namespace DistCache.Tests.Gateway;

public sealed class RequestIdsTests
{
    [Fact]
    public void Ids_drawn_at_once_from_many_threads_are_all_distinct_and_never_empty()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
                ids.Add(RequestIds.Next());
        });
        Assert.Equal(80_000, ids.Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, ids);
    }

    [Fact]
    public void Ids_of_one_process_share_a_prefix_and_differ_in_their_counter()
    {
        var (a, b) = (RequestIds.Next().ToByteArray(), RequestIds.Next().ToByteArray());
        Assert.Equal(a[..8], b[..8]);
        Assert.NotEqual(a[8..], b[8..]);
    }
}
