using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Cluster;

/// <summary>distcache.http: open by default; a token file is read at start-up and only makes sense with an HTTP port.</summary>
public sealed class HttpSettingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static DistCacheSettings Read(string overrides) => DistCacheSettings.From(
        ConfigurationFactory.ParseString(overrides).WithFallback(HoconResources.Load("distcache.conf")));

    private string TokenFile(string content)
    {
        var file = Path.Combine(_folder.Path, "http.token");
        File.WriteAllText(file, content);
        return file;
    }

    [Fact]
    public void By_default_the_http_port_is_open()
    {
        var http = Read("").Http;
        Assert.Null(http.Token);
        Assert.False(http.ProtectHealth);
    }

    [Fact]
    public void A_token_file_and_protect_health_are_read_from_hocon()
    {
        var file = TokenFile("abc\n");
        var http = Read($"distcache.http {{ token-file = \"{file}\", protect-health = on }}").Http;
        Assert.NotNull(http.Token);
        Assert.True(http.Token.Verify("Bearer abc"));
        Assert.True(http.ProtectHealth);
    }

    [Theory]
    [InlineData("distcache.http.protect-health = maybe", "distcache.http.protect-health")]
    [InlineData("distcache.http.protect-health = on", "distcache.http.token-file")]
    [InlineData("distcache.http.token-file = \"/nonexistent/distcache/token\"", "distcache.http.token-file")]
    public void A_bad_http_setting_is_refused_naming_it(string overrides, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(overrides));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void The_command_line_token_file_needs_an_http_port()
    {
        var options = new NodeOptions { DataDir = _folder.Path, HttpTokenFile = TokenFile("abc") };
        var error = Assert.Throws<ConfigurationException>(() => NodeConfigBuilder.Build(options));
        Assert.Contains("--http-token-file", error.Message);
        Assert.Contains("--http-port", error.Message);

        var (_, settings) = NodeConfigBuilder.Build(options with { HttpPort = 9090 });
        Assert.True(settings.Http.Token!.Verify("Bearer abc"));
    }
}
