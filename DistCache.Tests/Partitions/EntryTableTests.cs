using DistCache.Actors.Partitions;
using DistCache.Protocol;
using DistCache.Tests.Support;

namespace DistCache.Tests.Partitions;

/// <summary>The entry table on its own, without commands or an ActorSystem: expiry, recency, bytes, windows.</summary>
public class EntryTableTests
{
    private readonly ManualClock _clock = new();

    private EntryTable Table(EvictionPolicy policy = EvictionPolicy.NoEviction) => new(_clock, policy);

    private static CacheValue Bytes(int length) => new(ValueKind.Bytes, new byte[length]);

    private long At(int secondsFromNow) => _clock.GetUtcNow().AddSeconds(secondsFromNow).ToUnixTimeMilliseconds();

    private static readonly HashSet<CacheKey> NoneSpared = [];

    [Fact]
    public void An_entry_is_as_small_as_before_collections_and_a_string_put_over_a_hash_makes_it_a_string_again()
    {
        // Kind and the type tag share one word, one reference holds either payload: 32 bytes, as a
        // string-only entry (kind, bytes, version, expiry) was.
        Assert.Equal(32, System.Runtime.CompilerServices.Unsafe.SizeOf<CacheEntry>());
        var table = Table();
        table.Put("k", HashValue.From([new HashField("f", [1, 2])]), 0);
        Assert.Same(HashType.Instance, table.Entries["k"].Type);
        Assert.Empty(table.Entries["k"].Data);
        table.Put("k", Bytes(3), 0);
        Assert.Same(StringType.Instance, table.Entries["k"].Type);
        Assert.Null(table.Entries["k"].Hash);
        Assert.Equal(3, table.Entries["k"].Data.Length);
        table.Remove("k");
        Assert.Equal(0, table.UsedBytes);
    }

    [Fact]
    public void Remove_expired_drops_only_entries_whose_time_has_passed_soonest_first_up_to_the_limit()
    {
        var table = Table();
        table.Put("late", Bytes(1), At(30));
        table.Put("soon", Bytes(1), At(10));
        table.Put("middle", Bytes(1), At(20));
        table.Put("forever", Bytes(1), 0);

        Assert.Equal(0, table.RemoveExpired());
        _clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(1, table.RemoveExpired(max: 1));
        Assert.False(table.Entries.ContainsKey("soon"));
        Assert.True(table.Entries.ContainsKey("middle"));

        Assert.Equal(1, table.RemoveExpired());
        Assert.Equal(["forever", "late"], table.Entries.Keys.Select(k => k.ToString()).Order());
        Assert.Equal(1, table.ExpiringCount);
    }

    [Fact]
    public void A_lookup_drops_an_expired_entry_that_active_expiry_has_not_collected_yet()
    {
        var table = Table();
        table.Put("k", Bytes(10), At(5));
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.NotNull(table.Live("k"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, table.Count);
        Assert.Null(table.Live("k"));
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.ExpiringCount);
        Assert.Equal(0, table.UsedBytes);
    }

    [Fact]
    public void Set_expiry_moves_the_key_in_the_expiry_index_and_zero_takes_it_out()
    {
        var table = Table();
        table.Put("k", Bytes(1), At(5));
        table.SetExpiry("k", At(50));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, table.RemoveExpired());
        Assert.Equal(At(40), table.Live("k")!.Value.ExpiresAt);

        table.SetExpiry("k", 0);
        Assert.Equal(0, table.ExpiringCount);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.NotNull(table.Live("k"));
    }

    [Fact]
    public void Lru_evicts_least_recently_used_first_where_reads_and_overwrites_count_as_use_and_lookups_do_not()
    {
        var table = Table(EvictionPolicy.AllKeysLru);
        foreach (var key in new[] { "a", "b", "c", "d" })
            table.Put(key, Bytes(100), 0);
        var one = table.SizeOf("a");

        table.Touch("a");          // order, least recent first: b c d a
        table.Put("c", Bytes(100), 0); // b d a c
        table.Live("b");           // a lookup that is not a use changes nothing

        Assert.Equal(["b"], Keys(table.KeysToEvict(one, NoneSpared)));
        Assert.Equal(["b", "d", "a"], Keys(table.KeysToEvict(2 * one + 1, NoneSpared)));
        Assert.Equal(["d", "c"], Keys(table.KeysToEvict(2 * one, new HashSet<CacheKey> { "b", "a" })));
    }

    [Fact]
    public void Lru_forgets_a_removed_key_and_refuses_when_not_enough_can_be_freed()
    {
        var table = Table(EvictionPolicy.AllKeysLru);
        table.Put("a", Bytes(100), 0);
        table.Put("b", Bytes(100), 0);
        table.Remove("a");
        var one = table.SizeOf("b");

        Assert.Equal(["b"], Keys(table.KeysToEvict(one, NoneSpared)));
        Assert.Null(table.KeysToEvict(one + 1, NoneSpared));
        Assert.Null(table.KeysToEvict(1, new HashSet<CacheKey> { "b" }));
    }

    [Fact]
    public void Volatile_ttl_evicts_only_keys_with_an_expiry_soonest_first()
    {
        var table = Table(EvictionPolicy.VolatileTtl);
        table.Put("forever", Bytes(100), 0);
        table.Put("late", Bytes(100), At(60));
        table.Put("soon", Bytes(100), At(10));
        var one = table.SizeOf("soon");

        Assert.Equal(["soon", "late"], Keys(table.KeysToEvict(one + 1, NoneSpared)));
        Assert.Null(table.KeysToEvict(2 * one + 1, NoneSpared));
    }

    [Fact]
    public void No_eviction_never_names_a_key() =>
        Assert.Null(WithOneKey(EvictionPolicy.NoEviction).KeysToEvict(1, NoneSpared));

    [Fact]
    public void Used_bytes_follow_puts_overwrites_and_removals_and_count_only_real_evictions()
    {
        var table = Table();
        table.Put("k", Bytes(100), 0);
        var hundred = table.UsedBytes;
        Assert.Equal(CacheEntry.SizeOf("k", Bytes(100)), hundred);

        table.Put("k", Bytes(250), At(5));
        Assert.Equal(hundred + 150, table.UsedBytes);
        table.Put("other", Bytes(10), 0);
        Assert.Equal(hundred + 150 + CacheEntry.SizeOf("other", Bytes(10)), table.UsedBytes);

        table.SetExpiry("other", At(5));
        Assert.Equal(hundred + 150 + CacheEntry.SizeOf("other", Bytes(10)), table.UsedBytes);

        Assert.True(table.Remove("other", evicted: true));
        Assert.False(table.Remove("other", evicted: true));
        Assert.Equal(1, table.Evictions);
        Assert.Equal(hundred + 150, table.UsedBytes);

        _clock.Advance(TimeSpan.FromSeconds(5));
        table.RemoveExpired();
        Assert.Equal(0, table.UsedBytes);
        Assert.Equal(1, table.Evictions);
    }

    [Fact]
    public void Clear_forgets_every_key_and_byte_but_not_the_evictions_or_versions()
    {
        var table = Table(EvictionPolicy.AllKeysLru);
        table.Put("a", Bytes(10), At(5));
        table.Put("b", Bytes(10), 0);
        table.SetWindow("b", new SlidingWindow(1000, 0));
        table.Remove("a", evicted: true);
        table.Clear();

        Assert.Equal((0, 0, 0L, 0), (table.Count, table.ExpiringCount, table.UsedBytes, table.Windows.Count));
        Assert.Null(table.KeysToEvict(1, NoneSpared));
        Assert.Equal(1, table.Evictions);
        table.Put("c", Bytes(1), 0);
        Assert.Equal(3, table.Live("c")!.Value.Version);
    }

    [Fact]
    public void Each_put_takes_the_next_version_and_a_restored_version_replaces_it()
    {
        var table = Table();
        table.Put("a", Bytes(1), 0);
        table.Put("b", Bytes(1), 0);
        table.Put("a", Bytes(2), 0);
        Assert.Equal((3L, 2L), (table.Live("a")!.Value.Version, table.Live("b")!.Value.Version));
        Assert.Equal(4, table.NextVersion);

        table.RestoreVersion("b", 40);
        table.RestoreCounters(nextVersion: 41, evictions: 7);
        Assert.Equal((40L, 41L, 7L), (table.Live("b")!.Value.Version, table.NextVersion, table.Evictions));
        table.RestoreCounters(nextVersion: 2, evictions: 7);
        Assert.Equal(41, table.NextVersion);
    }

    [Fact]
    public void A_sliding_window_lasts_until_the_key_is_written_given_a_fixed_expiry_or_removed()
    {
        var table = Table();
        var window = new SlidingWindow(WindowMs: 1000, NotAfter: At(60));
        table.SetWindow("missing", window);
        Assert.False(table.TryGetWindow("missing", out _));

        table.Put("k", Bytes(1), At(1));
        table.SetWindow("k", window);
        Assert.True(table.TryGetWindow("k", out var found));
        Assert.Equal(window, found);

        table.Put("k", Bytes(2), At(1));
        Assert.False(table.TryGetWindow("k", out _));

        table.SetWindow("k", window);
        table.SetExpiry("k", At(30));
        Assert.False(table.TryGetWindow("k", out _));

        table.SetWindow("k", window);
        table.Remove("k");
        Assert.False(table.TryGetWindow("k", out _));
        Assert.Empty(table.Windows);
    }

    [Fact]
    public void An_expired_key_loses_its_window_with_it()
    {
        var table = Table();
        table.Put("k", Bytes(1), At(1));
        table.SetWindow("k", new SlidingWindow(1000, 0));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, table.RemoveExpired());
        Assert.Empty(table.Windows);
    }

    private EntryTable WithOneKey(EvictionPolicy policy)
    {
        var table = Table(policy);
        table.Put("k", Bytes(1), At(5));
        return table;
    }

    private static string[] Keys(List<CacheKey>? keys)
    {
        Assert.NotNull(keys);
        return keys.Select(k => k.ToString()).ToArray();
    }
}
