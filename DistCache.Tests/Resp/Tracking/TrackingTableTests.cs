using DistCache.Host.Resp.Tracking;
using DistCache.Protocol;

namespace DistCache.Tests.Resp.Tracking;

/// <summary>The tracking table alone: Redis's default mode (each key told once to those that read it, then
/// forgotten), BCAST prefixes (a prefix's keys in one message), NOLOOP's own-write marks, the bound that
/// invalidates the oldest keys, and the null invalidation.</summary>
public sealed class TrackingTableTests
{
    private static readonly TrackingMode Default = TrackingMode.Default;

    private static TrackingMode Bcast(params string[] prefixes) => Default with { Bcast = true, Prefixes = prefixes.Select(p => (CacheKey)p).ToArray() };

    private static CacheKey[] Keys(params string[] keys) => keys.Select(k => (CacheKey)k).ToArray();

    private static List<string> Changed(TrackingTable table, long nowMs = 0, params string[] keys)
    {
        var into = new List<Invalidation>();
        table.Invalidated(Keys(keys), nowMs, into);
        return into.Select(Text).ToList();
    }

    private static string Text(Invalidation i) => i.Keys is null ? $"{i.Client}:null" : $"{i.Client}:{string.Join(",", i.Keys)}";

    [Fact]
    public void A_key_read_is_told_once_to_each_reader_then_forgotten()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Default);
        table.Enable(2, Default);
        table.Read(1, Keys("a", "b"), []);
        table.Read(2, Keys("a"), []);

        Assert.Equal(["1:a", "2:a"], Changed(table, 0, "a", "c"));
        Assert.Empty(Changed(table, 0, "a"));
        Assert.Equal(["1:b"], Changed(table, 0, "b"));
        Assert.Equal(0, table.Keys);
    }

    [Fact]
    public void Bcast_sends_each_prefix_its_keys_together_whoever_read_them()
    {
        var table = new TrackingTable(100);
        var kept = table.Enable(1, Bcast("x:", "y:"));
        table.Enable(2, Bcast());

        Assert.Equal(Keys("x:", "y:"), kept.Prefixes);
        Assert.Equal(["1:x:1,x:2", "1:y:1", "2:x:1,x:2,y:1,z"], Changed(table, 0, "x:1", "x:2", "y:1", "z").Order());
        // Told every time, not once.
        Assert.Equal(["1:x:1", "2:x:1"], Changed(table, 0, "x:1").Order());
        // Enabled again, the connection keeps its prefixes and adds these.
        Assert.Equal(Keys("w:", "x:", "y:"), table.Enable(1, Bcast("w:")).Prefixes);
        Assert.Equal(4, table.Prefixes);
    }

    [Fact]
    public void Reads_are_not_remembered_in_bcast_nor_after_tracking_is_off()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Bcast("p"));
        table.Enable(2, Default);
        table.Read(1, Keys("k"), []);
        table.Read(2, Keys("k"), []);
        table.Disable(2);

        Assert.Empty(Changed(table, 0, "k"));
        Assert.Equal(0, table.Keys);
    }

    [Fact]
    public void The_last_connection_to_stop_takes_everything_with_it()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Bcast("p"));
        table.Enable(2, Default);
        table.Read(2, Keys("k"), []);
        table.Disable(1);
        Assert.Equal((1, 0), (table.Keys, table.Prefixes));
        table.Disable(2);
        Assert.Equal((0, 0, 0), (table.Clients, table.Keys, table.Prefixes));
    }

    [Fact]
    public void Noloop_leaves_out_the_connections_own_write_within_its_window_only()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Default with { NoLoop = true });
        table.Enable(2, Default);
        table.Read(1, Keys("a", "b"), []);
        table.Read(2, Keys("a"), []);
        table.Wrote(1, Keys("a"), nowMs: 1_000);

        // Its own write: the other reader is told, it is not, and the key is forgotten for both (as Redis does).
        Assert.Equal(["2:a"], Changed(table, 1_500, "a"));
        table.Read(1, Keys("a"), []);
        // The mark was used up: the next change is someone else's.
        Assert.Equal(["1:a"], Changed(table, 1_600, "a"));

        // A mark older than the window no longer hides anything.
        table.Wrote(1, Keys("b"), nowMs: 2_000);
        Assert.Equal(["1:b"], Changed(table, 2_000 + TrackingTable.NoLoopWindowMs + 1, "b"));
    }

    [Fact]
    public void Noloop_in_bcast_leaves_its_own_keys_out_of_the_prefix_message()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Bcast("k") with { NoLoop = true });
        table.Wrote(1, Keys("k1"), nowMs: 0);
        Assert.Equal(["1:k2"], Changed(table, 10, "k1", "k2"));
        Assert.Equal(["1:k1"], Changed(table, 10, "k1"));
    }

    [Fact]
    public void Writes_without_noloop_leave_no_mark()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Default);
        table.Read(1, Keys("a"), []);
        table.Wrote(1, Keys("a"), nowMs: 0);
        Assert.Equal(["1:a"], Changed(table, 1, "a"));
    }

    [Fact]
    public void Past_the_bound_the_oldest_keys_are_invalidated_and_forgotten()
    {
        var table = new TrackingTable(3);
        table.Enable(1, Default);
        table.Enable(2, Default);
        var evicted = new List<Invalidation>();
        table.Read(1, Keys("a", "b", "c"), evicted);
        table.Read(2, Keys("a"), evicted);
        Assert.Empty(evicted);

        table.Read(2, Keys("d", "e"), evicted);
        Assert.Equal(["1:a", "2:a", "1:b"], evicted.Select(Text));
        Assert.Equal(3, table.Keys);
        Assert.Empty(Changed(table, 0, "a", "b"));
        Assert.Equal(["1:c", "2:d"], Changed(table, 0, "c", "d"));
    }

    [Fact]
    public void The_null_invalidation_reaches_every_tracking_connection_and_forgets_the_keys()
    {
        var table = new TrackingTable(100);
        table.Enable(1, Default);
        table.Enable(2, Bcast("p"));
        table.Read(1, Keys("a"), []);
        var into = new List<Invalidation>();
        table.InvalidatedAll(into);

        Assert.Equal(["1:null", "2:null"], into.Select(Text).Order());
        Assert.Equal(0, table.Keys);
        Assert.Empty(Changed(table, 0, "a"));
    }

    [Theory]
    [InlineData(false, false, false, true)]
    [InlineData(true, false, false, false)]
    [InlineData(true, false, true, true)]
    [InlineData(false, true, false, true)]
    [InlineData(false, true, true, false)]
    public void Optin_and_optout_track_reads_as_client_caching_says(bool optIn, bool optOut, bool caching, bool tracked) =>
        Assert.Equal(tracked, (Default with { OptIn = optIn, OptOut = optOut }).TracksReads(caching));
}
