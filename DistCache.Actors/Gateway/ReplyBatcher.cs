using Akka.Actor;
using DistCache.Protocol;

namespace DistCache.Actors.Gateway;

/// <summary>Collects the replies bound for one client and sends those that are ready together. It never
/// waits for more: it flushes as soon as it has drained what is already in its mailbox, so a lone reply
/// goes out at once and a burst travels as one message.</summary>
public sealed class ReplyBatcher : ReceiveActor
{
    public const int MaxBatch = 512;

    private readonly List<ClientResponse> _ready = [];

    public ReplyBatcher(IActorRef client)
    {
        Context.Watch(client);
        Receive<ClientResponse>(response =>
        {
            _ready.Add(response);
            if (_ready.Count == 1)
                Self.Tell(Flush.Instance);
            else if (_ready.Count >= MaxBatch)
                Send(client);
        });
        Receive<Flush>(_ => Send(client));
        Receive<Terminated>(t => t.ActorRef.Equals(client), _ => Context.Stop(Self));
    }

    public static Props Props(IActorRef client) => Akka.Actor.Props.Create(() => new ReplyBatcher(client));

    private void Send(IActorRef client)
    {
        if (_ready.Count == 1)
            client.Tell(_ready[0]);
        else if (_ready.Count > 1)
            client.Tell(new ClientResponseBatch(_ready.ToArray()));
        _ready.Clear();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }
}
