using Akka.Configuration;
using DistCache.Actors.Security;
using DistCache.Tests.Support;

namespace DistCache.Tests.Security;

/// <summary>The check behind the HTTP port's token: only "Bearer" plus the exact token passes.</summary>
public sealed class BearerTokenTests : IDisposable
{
    private const string Secret = "s3cret-Token_42";
    private const string Setting = "distcache.http.token-file (--http-token-file)";
    private readonly TempFolder _folder = new();
    private readonly BearerToken _token = new(Secret);

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Bearer " + Secret)]
    [InlineData("bearer " + Secret)]
    [InlineData("BEARER  " + Secret + " ")]
    public void The_token_after_the_bearer_scheme_passes(string header)
    {
        Assert.True(_token.Verify(header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData(Secret)]
    [InlineData("Basic " + Secret)]
    [InlineData("Bearer " + Secret + "x")]
    [InlineData("Bearer " + "s3cret-Token_4")]
    [InlineData("Bearer S3CRET-TOKEN_42")]
    [InlineData("Bearer " + Secret + "," + "Bearer " + Secret)]
    public void A_missing_malformed_or_wrong_header_fails(string? header)
    {
        Assert.False(_token.Verify(header));
    }

    [Fact]
    public void A_token_file_ending_in_a_newline_holds_the_token_without_it()
    {
        var file = Path.Combine(_folder.Path, "token");
        File.WriteAllText(file, Secret + "\n");
        var token = BearerToken.FromFile(file, Setting);
        Assert.True(token.Verify("Bearer " + Secret));
        Assert.DoesNotContain(Secret, token.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("  \r\n")]
    public void An_empty_token_file_is_refused_naming_the_setting(string content)
    {
        var file = Path.Combine(_folder.Path, "token");
        File.WriteAllText(file, content);
        var error = Assert.Throws<ConfigurationException>(() => BearerToken.FromFile(file, Setting));
        Assert.Contains(Setting, error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_missing_token_file_is_refused_naming_the_setting_and_the_file()
    {
        var file = Path.Combine(_folder.Path, "nope");
        var error = Assert.Throws<ConfigurationException>(() => BearerToken.FromFile(file, Setting));
        Assert.Contains(Setting, error.Message);
        Assert.Contains(file, error.Message);
    }
}
