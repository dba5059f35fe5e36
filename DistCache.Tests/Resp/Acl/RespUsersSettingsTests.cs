using Akka.Configuration;
using DistCache.Actors.Cluster;
using DistCache.Tests.Support;

namespace DistCache.Tests.Resp.Acl;

/// <summary>distcache.resp.users-file as read from HOCON: off by default, a path otherwise, and never
/// together with requirepass-file.</summary>
public sealed class RespUsersSettingsTests
{
    private static DistCacheSettings Read(string overrides) => DistCacheSettings.From(
        ConfigurationFactory.ParseString(overrides).WithFallback(HoconResources.Load("distcache.conf")));

    [Fact]
    public void There_is_no_users_file_by_default() => Assert.Null(Read("").Resp.UsersFile);

    [Fact]
    public void The_users_file_is_kept_as_a_full_path_for_the_endpoint_to_read() =>
        Assert.Equal(Path.GetFullPath("users.acl"), Read("distcache.resp.users-file = \"users.acl\"").Resp.UsersFile);

    [Fact]
    public void A_users_file_and_a_password_file_together_are_refused_naming_both()
    {
        using var folder = new TempFolder();
        var passwordFile = Path.Combine(folder.Path, "requirepass");
        File.WriteAllText(passwordFile, "pw\n");
        var error = Assert.Throws<ConfigurationException>(() =>
            Read($"distcache.resp.requirepass-file = \"{passwordFile}\"\ndistcache.resp.users-file = \"users.acl\""));
        Assert.Contains("distcache.resp.requirepass-file", error.Message);
        Assert.Contains("distcache.resp.users-file", error.Message);
        Assert.DoesNotContain("pw\n", error.Message);
    }

    [Fact]
    public void The_command_line_flag_sets_the_users_file()
    {
        var (_, settings) = NodeConfigBuilder.Build(new NodeOptions { RespUsersFile = "/etc/distcache/users.acl", Port = 4999 });
        Assert.Equal("/etc/distcache/users.acl", settings.Resp.UsersFile);
    }
}
