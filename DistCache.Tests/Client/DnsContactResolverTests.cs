using DistCache.Client.Contacts;

namespace DistCache.Tests.Client;

/// <summary>The default resolver against the machine's own resolver (the hosts file names localhost).</summary>
public sealed class DnsContactResolverTests
{
    [Fact]
    public async Task A_name_becomes_each_address_it_resolves_to_and_stays_itself_too()
    {
        var endpoints = await DnsContactResolver.ResolveAsync("localhost:4053", CancellationToken.None);
        Assert.Contains("127.0.0.1:4053", endpoints);
        Assert.Contains("localhost:4053", endpoints);
    }

    [Fact]
    public async Task An_address_is_itself_and_a_name_that_does_not_resolve_is_kept_for_later()
    {
        Assert.Equal(["127.0.0.1:4053"], await DnsContactResolver.ResolveAsync("127.0.0.1:4053", CancellationToken.None));
        Assert.Equal(["[::1]:4053"], await DnsContactResolver.ResolveAsync("[::1]:4053", CancellationToken.None));
        Assert.Equal(["no-such-node.invalid:4053"], await DnsContactResolver.ResolveAsync("no-such-node.invalid:4053", CancellationToken.None));
        Assert.Empty(await DnsContactResolver.ResolveAsync("no port", CancellationToken.None));
    }
}
