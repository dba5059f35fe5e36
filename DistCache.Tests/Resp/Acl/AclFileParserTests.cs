using System.Security.Cryptography;
using System.Text;
using Akka.Configuration;
using DistCache.Host.Resp;
using DistCache.Host.Resp.Acl;

namespace DistCache.Tests.Resp.Acl;

/// <summary>The users file's subset of Redis's ACL syntax: what each rule grants, rules applied left to
/// right, and every mistake refused with its line and reason, never with a password.</summary>
public sealed class AclFileParserTests
{
    private const string Source = "distcache.resp.users-file = '/etc/users.acl'";

    private static RespUsers Parse(params string[] lines) => AclFileParser.Parse(lines, Source);

    private static string ErrorOf(params string[] lines) => Assert.Throws<ConfigurationException>(() => Parse(lines)).Message;

    private static RespCommandSpec C(string name) => RespCommandTable.Find(name)!;

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_user_with_a_password_categories_and_key_patterns()
    {
        var users = Parse(
            "# application users",
            "",
            "user app on >app-secret ~app:* ~cache:* +@all -@dangerous",
            "user reader on >r1 >r2 +@read ~*");
        Assert.Equal(2, users.Count);

        var app = users.Find("app")!;
        Assert.True(app.Enabled);
        Assert.True(app.CanRun(C("SET")) && app.CanRun(C("GET")) && app.CanRun(C("DEL")));
        Assert.False(app.CanRun(C("FLUSHALL")) || app.CanRun(C("INFO")) || app.CanRun(C("CONFIG")));
        Assert.True(app.CanAccess("app:1", read: true, write: true));
        Assert.True(app.CanAccess("cache:x", read: true, write: true));
        Assert.False(app.CanAccess("other:1", read: true, write: false));
        // Patterns match a key's bytes: a binary key under app: is granted, one that only decodes alike is not.
        Assert.True(app.CanAccess(new DistCache.Protocol.CacheKey([.. "app:"u8, 0xff, 0x00]), read: true, write: true));
        Assert.False(app.CanAccess(new DistCache.Protocol.CacheKey([0xff, .. "app:1"u8]), read: true, write: true));
        Assert.False(app.AllKeys || app.Unrestricted);
        Assert.Same(app, users.Authenticate("app", B("app-secret")));
        Assert.Null(users.Authenticate("app", B("app-secreT")));

        var reader = users.Find("reader")!;
        Assert.True(reader.CanRun(C("GET")) && reader.CanRun(C("SCAN")) && reader.CanRun(C("EXISTS")));
        Assert.False(reader.CanRun(C("SET")) || reader.CanRun(C("DEL")));
        Assert.True(reader.AllKeys);
        Assert.Same(reader, users.Authenticate("reader", B("r1")));
        Assert.Same(reader, users.Authenticate("reader", B("r2")));
    }

    [Fact]
    public void Rules_apply_left_to_right()
    {
        var users = Parse(
            "user a on nopass -@all +get +set",
            "user b on nopass +@write -set",
            "user c on nopass +@all nocommands +@read -get",
            "user d on nopass ~x:* resetkeys ~y:*",
            "user e on >pw nopass",
            "user f on nopass >pw",
            "user g on >pw resetpass",
            "user h on >pw ~* +@all reset");
        Assert.Equal([true, true, false], new[] { "GET", "SET", "DEL" }.Select(n => users.Find("a")!.CanRun(C(n))));
        Assert.Equal([false, true, false], new[] { "SET", "DEL", "GET" }.Select(n => users.Find("b")!.CanRun(C(n))));
        Assert.Equal([false, true, false], new[] { "GET", "MGET", "SET" }.Select(n => users.Find("c")!.CanRun(C(n))));
        Assert.False(users.Find("d")!.CanAccess("x:1", true, true));
        Assert.True(users.Find("d")!.CanAccess("y:1", true, true));
        Assert.NotNull(users.Authenticate("e", B("anything")));
        Assert.Null(users.Authenticate("f", B("anything")));
        Assert.NotNull(users.Authenticate("f", B("pw")));
        Assert.Null(users.Authenticate("g", B("pw")));
        var h = users.Find("h")!;
        Assert.False(h.Enabled || h.CanRun(C("GET")) || h.AllKeys);
    }

    [Fact]
    public void A_password_hash_an_off_user_and_read_write_key_patterns()
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(B("hashed-pw")));
        var users = Parse(
            $"user h on #{hex} +@all allkeys",
            $"user H on #{hex.ToUpperInvariant()} +@all allkeys",
            "user off off >pw +@all allkeys",
            "user rw on nopass +@all %R~r:* %W~w:* %RW~both:* allchannels &chan resetchannels");
        Assert.NotNull(users.Authenticate("h", B("hashed-pw")));
        Assert.NotNull(users.Authenticate("H", B("hashed-pw")));
        Assert.True(users.Find("h")!.Unrestricted);
        Assert.Null(users.Authenticate("off", B("pw")));
        Assert.Null(users.Authenticate("nobody", B("pw")));

        var rw = users.Find("rw")!;
        Assert.True(rw.CanAccess("r:1", read: true, write: false));
        Assert.False(rw.CanAccess("r:1", read: true, write: true));
        Assert.True(rw.CanAccess("w:1", read: false, write: true));
        Assert.False(rw.CanAccess("w:1", read: true, write: false));
        Assert.True(rw.CanAccess("both:1", read: true, write: true));
        Assert.True(rw.CanAccess("r:1", read: false, write: false));
        Assert.False(rw.AllKeys);
    }

    [Fact]
    public void Without_a_users_file_default_is_the_only_user_and_may_do_everything()
    {
        var open = RespUsers.From(DistCache.Actors.Cluster.RespSettings.Open);
        Assert.True(open.Initial is { Name: "default", Unrestricted: true, NoPass: true });
        Assert.False(open.DefaultNeedsPassword);

        var locked = RespUsers.From(new DistCache.Actors.Cluster.RespSettings(DistCache.Actors.Cluster.RespPassword.Of(B("pw")), 10));
        Assert.Null(locked.Initial);
        Assert.True(locked.DefaultNeedsPassword);
        Assert.True(locked.Authenticate("default", B("pw")) is { Unrestricted: true });
    }

    [Fact]
    public void A_default_user_the_file_leaves_out_does_not_exist_and_one_on_with_nopass_is_every_connection()
    {
        Assert.Null(Parse("user app on >pw +@all allkeys").Initial);
        Assert.Null(Parse("user app on >pw +@all allkeys").Find("default"));
        Assert.Equal("default", Parse("user default on nopass +@read ~*").Initial!.Name);
        Assert.Null(Parse("user default off nopass +@read ~*").Initial);
    }

    [Theory]
    [InlineData("line 1: a line must start with 'user <name>'", "usr app on")]
    [InlineData("line 2: 'user' must be followed by the user's name", "user a on", "user")]
    [InlineData("line 1: 'user' must be followed by the user's name", "user >pw on")]
    [InlineData("line 3: user 'a' is defined twice", "user a on", "", "user a off")]
    [InlineData("line 1: rule 2 of user 'a': unknown category '@nope'", "user a on +@nope")]
    [InlineData("line 1: rule 1 of user 'a': unknown command 'nosuch'", "user a +nosuch")]
    [InlineData("line 1: rule 1 of user 'a': subcommand rules ('config|get') are not supported", "user a +config|get")]
    [InlineData("line 1: rule 2 of user 'a': an empty password ('>' alone)", "user a on >")]
    [InlineData("line 1: rule 1 of user 'a': a password hash ('#') must be 64 hexadecimal characters", "user a #abc")]
    [InlineData("line 1: rule 1 of user 'a': removing a password ('<') is not supported", "user a <old-secret")]
    [InlineData("line 1: rule 1 of user 'a': a key rule with '%' must read %R~glob", "user a %X~k:*")]
    [InlineData("line 1: rule 2 of user 'a': not a rule of the supported subset", "user a on hunter2-password")]
    public void A_mistake_names_the_file_line_and_reason(string expected, params string[] lines)
    {
        var message = ErrorOf(lines);
        Assert.StartsWith(Source + ": " + expected, message);
    }

    [Theory]
    [InlineData("user a on hunter2-password")]
    [InlineData("user a <hunter2-password")]
    [InlineData("user a #hunter2-password")]
    [InlineData("user a on > hunter2-password")]
    public void A_mistake_never_repeats_what_could_be_a_password(string line) =>
        Assert.DoesNotContain("hunter2", ErrorOf(line));

    [Fact]
    public void A_missing_file_names_the_setting()
    {
        var message = Assert.Throws<ConfigurationException>(() => AclFileParser.Load("/nonexistent/users.acl", "distcache.resp.users-file")).Message;
        Assert.Equal("distcache.resp.users-file = '/nonexistent/users.acl': file not found", message);
    }

    [Fact]
    public void A_user_prints_only_its_name() => Assert.Equal("app", Parse("user app on >s3cret-pw").Find("app")!.ToString());
}
