using System.Text;

namespace DistCache.Host.Resp;

/// <summary>CLIENT LIST and CLIENT INFO's line for one connection, in Redis 7.2's field order
/// (src/networking.c catClientInfoString). A connection inside MULTI shows flags=x and multi= its queued
/// commands, one with a subscription flags=P and its counts (sub, psub, ssub), one tracking keys flags=t (R, B)
/// and redir=, as in Redis. DistCache keeps
/// no per-client buffers, so those fields carry the values Redis shows for an idle client.</summary>
public static class RespClientLine
{
    public static string Format(RespClientView c) =>
        $"id={c.Id} addr={c.Address} laddr={c.LocalAddress} fd={c.Fd} name={c.Name} age={c.AgeSeconds} idle={c.IdleSeconds} " +
        $"flags={Flags(c)} db=0 sub={c.Sub} psub={c.PSub} ssub={c.SSub} multi={c.Multi} " +
        "qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 " +
        $"events=r cmd={c.Command} user={c.User} redir={c.Redirect} resp={c.Protocol} lib-name={c.LibName} lib-ver={c.LibVersion}";

    // Redis's order: x (MULTI) before P (pub/sub), then tracking's t, R (broken redirect), B (BCAST); N when none.
    private static string Flags(RespClientView c)
    {
        var flags = (c.Multi >= 0 ? "x" : "") + (c.Subscriptions > 0 ? "P" : "") + c.TrackingFlags;
        return flags.Length == 0 ? "N" : flags;
    }

    /// <summary>Lines of several connections, each ended by \n as Redis does.</summary>
    public static string Format(IEnumerable<RespClientView> clients)
    {
        var text = new StringBuilder();
        foreach (var client in clients)
            text.Append(Format(client)).Append('\n');
        return text.ToString();
    }
}
