using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Actors.Notifications;

namespace DistCache.Tests.Cluster;

/// <summary>The distcache section is read once at start-up; a bad value is refused with the setting named.</summary>
public sealed class DistCacheSettingsTests
{
    private static DistCacheSettings Read(string overrides) => DistCacheSettings.From(
        ConfigurationFactory.ParseString(overrides).WithFallback(HoconResources.Load("distcache.conf")));

    [Fact]
    public void The_defaults_read_as_documented()
    {
        var settings = Read("");
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RequestTimeout);
        Assert.Null(settings.Resp.RequirePass);
        Assert.Equal(10, settings.Resp.MaxAuthFailures);
        Assert.Null(settings.Resp.IoThreads);
        Assert.Equal(new RespStrangerLimits(TimeSpan.FromSeconds(10), 1000, 100), settings.Resp.Strangers);
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    public void Io_threads_read_as_auto_or_a_count(string value, int? expected)
    {
        Assert.Equal(expected, Read($"distcache.resp.io-threads = {value}").Resp.IoThreads);
    }

    [Theory]
    [InlineData("distcache.client-timeout = 3s", "distcache.client-timeout")]
    [InlineData("distcache.client-timeout = 0s", "distcache.client-timeout")]
    [InlineData("distcache.request-timeout = 0s", "distcache.request-timeout")]
    [InlineData("distcache.durability = sometimes", "distcache.durability")]
    [InlineData("distcache.partitions = 0", "distcache.partitions")]
    [InlineData("distcache.resp.max-auth-failures = 0", "distcache.resp.max-auth-failures")]
    [InlineData("distcache.resp.io-threads = many", "distcache.resp.io-threads")]
    [InlineData("distcache.resp.auth-timeout = 0s", "distcache.resp.auth-timeout")]
    [InlineData("distcache.resp.max-unauthenticated = 0", "distcache.resp.max-unauthenticated")]
    [InlineData("distcache.resp.max-unauthenticated = 10\ndistcache.resp.max-unauthenticated-per-address = 11", "distcache.resp.max-unauthenticated-per-address")]
    [InlineData("distcache.resp.io-threads = -1", "distcache.resp.io-threads")]
    [InlineData("distcache.resp.requirepass-file = \"/nonexistent/requirepass\"", "distcache.resp.requirepass-file")]
    [InlineData("distcache.notify-keyspace-events = KEq", "distcache.notify-keyspace-events")]
    public void A_bad_value_is_refused_naming_the_setting(string overrides, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(overrides));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Keyspace_notifications_are_off_by_default_and_read_with_redis_s_classes()
    {
        Assert.Equal(KeyspaceEventClasses.None, Read("").KeyspaceEvents);
        Assert.Equal(KeyspaceEventClasses.Keyevent | KeyspaceEventClasses.Expired, Read("distcache.notify-keyspace-events = Ex").KeyspaceEvents);
        Assert.Equal("AKE", KeyspaceEventFlags.Format(Read("distcache.notify-keyspace-events = \"KEA\"").KeyspaceEvents));
    }

    [Fact]
    public void A_client_timeout_of_three_heartbeats_is_accepted()
    {
        Assert.Equal(TimeSpan.FromSeconds(6), Read("distcache.client-timeout = 6s").ClientTimeout);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("\n", "the file is empty")]
    public void An_empty_password_file_is_refused_naming_the_setting(string content, string why)
    {
        using var folder = new DistCache.Tests.Support.TempFolder();
        var file = Path.Combine(folder.Path, "requirepass");
        File.WriteAllText(file, content);
        var error = Assert.Throws<ConfigurationException>(() => Read($"distcache.resp.requirepass-file = \"{file}\""));
        Assert.Contains("distcache.resp.requirepass-file", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void The_password_file_is_read_without_its_trailing_newline()
    {
        using var folder = new DistCache.Tests.Support.TempFolder();
        var file = Path.Combine(folder.Path, "requirepass");
        File.WriteAllText(file, "pa ss\r\n");
        var password = Read($"distcache.resp.requirepass-file = \"{file}\"").Resp.RequirePass!;
        Assert.True(password.Matches("pa ss"u8));
        Assert.False(password.Matches("pa ss\r\n"u8));
        Assert.False(password.Matches("pa ss\r"u8));
    }

    [Fact]
    public void A_password_file_that_cannot_be_read_is_refused_naming_the_setting()
    {
        using var folder = new DistCache.Tests.Support.TempFolder();
        var error = Assert.Throws<ConfigurationException>(() => Read($"distcache.resp.requirepass-file = \"{folder.Path}\""));
        Assert.Contains("distcache.resp.requirepass-file", error.Message);
        Assert.Contains("cannot be read", error.Message);
    }
}
