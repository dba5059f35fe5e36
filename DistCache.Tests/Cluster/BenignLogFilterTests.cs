using Akka.Event;
using System.Reflection;
using Akka.Remote;
using DistCache.Actors.Cluster;
using Xunit;

namespace DistCache.Tests.Cluster;

/// <summary>The log lines a node drops are exactly the ones a client leaving and Akka.NET's extra
/// remember-entities reply write; the same lines about a node of the cluster are kept.</summary>
public sealed class BenignLogFilterTests
{
    private const string ClientWriter =
        "akka://distcache/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Fdistcache-client%40127.0.0.1%3A34939-2";
    private const string TlsClientWriter =
        "akka://distcache/system/endpointManager/reliableEndpointWriter-akka.ssl.tcp%3A%2F%2Fmy-app%40127.0.0.1%3A34939-2/endpointWriter";
    private const string NodeWriter =
        "akka://distcache/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Fdistcache%40127.0.0.1%3A4054-1/endpointWriter";
    private const string GatedWarning =
        "Association with remote system akka.tcp://distcache-client@127.0.0.1:34939 has failed; address is now gated for 5000 ms. " +
        "Reason is: [Akka.Remote.EndpointDisassociatedException: Disassociated]";

    // Internal to Akka.Remote: made the way Akka.Remote makes it.
    private static readonly Exception Disassociated = (Exception)Activator.CreateInstance(
        typeof(RemoteTransport).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!,
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, null, ["Disassociated"], null)!;

    [Fact]
    public void A_client_leaving_is_dropped_at_both_levels_whatever_its_system_is_called()
    {
        Assert.True(BenignLogFilter.IsBenign(new Error(Disassociated, ClientWriter + "/endpointWriter", typeof(object), "Disassociated")));
        Assert.True(BenignLogFilter.IsBenign(new Error(Disassociated, TlsClientWriter, typeof(object), "Disassociated")));
        Assert.True(BenignLogFilter.IsBenign(new Warning(ClientWriter, typeof(object), GatedWarning)));
    }

    [Fact]
    public void A_node_of_the_cluster_disassociating_is_kept()
    {
        Assert.False(BenignLogFilter.IsBenign(new Error(Disassociated, NodeWriter, typeof(object), "Disassociated")));
        Assert.False(BenignLogFilter.IsBenign(new Warning(NodeWriter, typeof(object), GatedWarning.Replace("distcache-client", "distcache"))));
    }

    [Fact]
    public void Other_errors_and_warnings_from_a_client_endpoint_are_kept()
    {
        Assert.False(BenignLogFilter.IsBenign(new Error(new InvalidOperationException("oversized payload"), ClientWriter, typeof(object), "Discarding")));
        Assert.False(BenignLogFilter.IsBenign(new Warning(ClientWriter, typeof(object),
            "Association with remote system akka.tcp://distcache-client@127.0.0.1:34939 has failed; address is now gated for 5000 ms. " +
            "Reason is: [Akka.Remote.Transport.AkkaProtocolException: The remote system refused the association because its UID]")));
        Assert.False(BenignLogFilter.IsBenign(new Info(ClientWriter, typeof(object), "Removing receive buffers")));
    }

    [Fact]
    public void Only_the_extra_update_done_reply_of_a_shard_is_dropped()
    {
        const string shard = "akka.tcp://distcache@127.0.0.1:27201/system/sharding/partition/16";
        Assert.True(BenignLogFilter.IsBenign(new Warning(shard, typeof(object), "partition: Id must not be empty, dropping message [UpdateDone]")));
        Assert.False(BenignLogFilter.IsBenign(new Warning(shard, typeof(object), "partition: Id must not be empty, dropping message [GetValue]")));
    }
}
