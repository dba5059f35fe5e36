using DistCache.Actors.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DistCache.Actors.Http;

/// <summary>With <c>distcache.http.token-file</c> set, every request must carry <c>Authorization: Bearer
/// &lt;token&gt;</c>; the health paths are left open unless <c>distcache.http.protect-health = on</c>, because
/// kubelet probes cannot send a token.</summary>
public static class TokenGate
{
    // RFC 6750 section 3: the challenge a client without (valid) credentials gets.
    public const string Challenge = "Bearer realm=\"distcache\"";

    public static void UseOn(WebApplication app, HttpSettings settings)
    {
        if (settings.Token is not { } token)
            return;
        app.Use(async (context, next) =>
        {
            // Everything but health is protected, rather than /metrics alone: routing matches paths
            // case-insensitively (/METRICS, /metrics/), and a path added later is closed by default.
            var open = !settings.ProtectHealth && context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
            if (open || token.Verify(context.Request.Headers.Authorization.ToString()))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = Challenge;
        });
    }
}
