using DistCache.Protocol;

namespace DistCache.Host.Resp.Tracking;

/// <summary>How one connection tracks keys, as CLIENT TRACKING ON set it (Redis's CLIENT_TRACKING_* flags):
/// <see cref="Bcast"/> with its <see cref="Prefixes"/> (sorted, as Redis's radix tree lists them; "" for every
/// key), or the default mode, which tracks the keys the connection reads, all of them or, with
/// <see cref="OptIn"/>/<see cref="OptOut"/>, as CLIENT CACHING says; <see cref="NoLoop"/> leaves out its own
/// writes; <see cref="Redirect"/> is the connection that receives the invalidations (0: this one).</summary>
public sealed record TrackingMode(bool Bcast, bool OptIn, bool OptOut, bool NoLoop, long Redirect, IReadOnlyList<CacheKey> Prefixes)
{
    public static readonly TrackingMode Default = new(false, false, false, false, 0, []);

    /// <summary>Whether a read command's keys are tracked, given the connection's CLIENT CACHING answer for it
    /// (Redis's trackingRememberKeys): never in BCAST mode, in OPTIN only after CACHING YES, in OPTOUT unless after CACHING NO.</summary>
    public bool TracksReads(bool caching) => !Bcast && !(OptIn && !caching) && !(OptOut && caching);
}
