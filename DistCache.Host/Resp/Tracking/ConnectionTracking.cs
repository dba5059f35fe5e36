namespace DistCache.Host.Resp.Tracking;

/// <summary>One connection's CLIENT TRACKING state as the connection itself sees it: its mode (null: off),
/// CLIENT CACHING's answer for its next command, and whether its REDIRECT connection was found gone. Its read
/// loop changes the mode and the caching answer; other connections read them (CLIENT LIST), and the endpoint's
/// invalidation delivery marks the redirect broken, hence the volatile fields.</summary>
public sealed class ConnectionTracking
{
    private volatile TrackingMode? _mode;
    private volatile bool _brokenRedirect;

    public TrackingMode? Mode
    {
        get => _mode;
        set
        {
            _mode = value;
            // Enabling again clears it (Redis's enableTracking); so does turning tracking off.
            _brokenRedirect = false;
            if (value is null)
                Caching = false;
        }
    }

    /// <summary>CLIENT CACHING YES (in OPTIN) or NO (in OPTOUT) was given for the next command or transaction.</summary>
    public bool Caching { get; set; }

    /// <summary>An invalidation found the REDIRECT connection gone (TRACKINGINFO's broken_redirect, CLIENT LIST's R).</summary>
    public bool BrokenRedirect => _brokenRedirect;

    public void RedirectBroke() => _brokenRedirect = true;

    /// <summary>CLIENT LIST's tracking flags, in Redis's order: t (tracking), R (broken redirect), B (BCAST).</summary>
    public string Flags => _mode is not { } mode ? "" : "t" + (_brokenRedirect ? "R" : "") + (mode.Bcast ? "B" : "");

    /// <summary>CLIENT LIST's redir= and CLIENT GETREDIR: the REDIRECT connection, 0 without one, -1 when not tracking.</summary>
    public long Redirect => _mode?.Redirect ?? -1;
}
