using Akka.Actor;
using DistCache.Client.Contacts;

namespace DistCache.Tests.Client;

public sealed class ContactBookTests
{
    private static Address Node(int port) => new("akka.tcp", "distcache", "127.0.0.1", port);

    [Fact]
    public void Configured_contacts_become_receptionist_paths_of_the_transports_scheme()
    {
        var book = new ContactBook("akka.ssl.tcp");
        book.SetConfigured(["127.0.0.1:4053", "cache.example:4054"]);
        Assert.Equal(
            ["akka.ssl.tcp://distcache@127.0.0.1:4053/system/receptionist", "akka.ssl.tcp://distcache@cache.example:4054/system/receptionist"],
            book.Receptionists().Select(p => p.ToString()).Order());
    }

    [Fact]
    public void Learned_nodes_join_the_configured_ones_and_a_member_list_replaces_what_was_learned()
    {
        var book = new ContactBook("akka.tcp");
        book.SetConfigured(["127.0.0.1:4053"]);
        Assert.True(book.Learn(Node(4054)));
        Assert.False(book.Learn(Node(4054)));
        Assert.False(book.Learn(Node(4053)));

        Assert.True(book.LearnMembers(["akka.tcp://distcache@127.0.0.1:4053", "akka.tcp://distcache@127.0.0.1:4055"]));
        // 4054 left the cluster: no longer a contact; 4053 stays, being configured.
        Assert.Equal([4053, 4055], book.Nodes.Select(a => a.Port!.Value).Order());
        Assert.Equal(1, book.LearnedCount);
    }

    [Fact]
    public void A_resolution_or_member_list_that_names_nothing_keeps_what_the_book_had()
    {
        var book = new ContactBook("akka.tcp");
        book.SetConfigured(["127.0.0.1:4053"]);
        book.Learn(Node(4054));
        Assert.False(book.SetConfigured(["not an endpoint"]));
        Assert.False(book.LearnMembers(["garbage"]));
        Assert.Equal([4053, 4054], book.Nodes.Select(a => a.Port!.Value).Order());
    }

    [Fact]
    public void A_new_resolution_replaces_the_configured_nodes_and_says_whether_it_named_a_new_one()
    {
        var book = new ContactBook("akka.tcp");
        book.SetConfigured(["cache.test:4053"]);
        Assert.True(book.SetConfigured(["cache.test:4053", "127.0.0.1:5000"]));
        Assert.False(book.SetConfigured(["127.0.0.1:5000"]));
        Assert.Equal([5000], book.Nodes.Select(a => a.Port!.Value));
    }
}
