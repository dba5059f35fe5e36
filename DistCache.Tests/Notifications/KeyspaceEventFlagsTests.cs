using DistCache.Actors.Notifications;

namespace DistCache.Tests.Notifications;

/// <summary>notify-keyspace-events read and shown back as redis-server 7.0.15 does (CONFIG SET then CONFIG GET
/// on the real server gave each pair below).</summary>
public sealed class KeyspaceEventFlagsTests
{
    [Theory]
    [InlineData("KEA", "AKE")]
    [InlineData("KEAn", "AKE")]
    [InlineData("AKE", "AKE")]
    [InlineData("Ag", "A")]
    [InlineData("g$", "g$")]
    [InlineData("Eg$lshzxet", "g$lshzxetE")]
    [InlineData("Ex", "xE")]
    [InlineData("KEAmdtn", "AKEm")]
    [InlineData("m", "m")]
    [InlineData("K", "K")]
    [InlineData("", "")]
    [InlineData("KEnd", "dnKE")]
    public void Reads_back_normalised_as_Redis_shows_it(string given, string shown)
    {
        Assert.True(KeyspaceEventFlags.TryParse(given, out var flags));
        Assert.Equal(shown, KeyspaceEventFlags.Format(flags));
    }

    [Theory]
    [InlineData("KEq")]
    [InlineData("K E")]
    [InlineData("a")]
    public void Refuses_any_other_character(string given) =>
        Assert.False(KeyspaceEventFlags.TryParse(given, out _));

    [Theory]
    [InlineData("", false)]
    [InlineData("A", false)]
    [InlineData("K", false)]
    [InlineData("KE", false)]
    [InlineData("Kx", true)]
    [InlineData("E$", true)]
    [InlineData("KEA", true)]
    public void Delivers_only_with_a_channel_and_an_event_class(string given, bool delivers)
    {
        Assert.True(KeyspaceEventFlags.TryParse(given, out var flags));
        Assert.Equal(delivers, KeyspaceEventFlags.Delivers(flags));
        Assert.Equal(delivers, new KeyspaceNotifier(flags).Enabled);
    }

    [Fact]
    public void A_is_Redis_s_NOTIFY_ALL_without_n_or_m()
    {
        Assert.True(KeyspaceEventFlags.TryParse("g$lshzxetd", out var all));
        Assert.Equal(KeyspaceEventClasses.All, all);
        Assert.Equal("A", KeyspaceEventFlags.Format(all));
    }
}
