using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Cli;

/// <summary>`serve` (also the default): runs a node until Ctrl+C or SIGTERM, then leaves the cluster
/// gracefully so its partitions hand off before the process exits.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run a DistCache node (the default when no subcommand is given).");
        AddOptionsTo(command);
        return command;
    }

    public static void AddOptionsTo(Command command)
    {
        var host = new Option<string>("--host") { Description = "Address to bind and advertise.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Cluster port.", DefaultValueFactory = _ => 4053 };
        var seeds = new Option<string[]>("--seed") { Description = "A seed node as host:port (repeatable). Default: this node, forming a new cluster." };
        var data = new Option<string?>("--data") { Description = "Folder for the SQLite journal (default ./data)." };
        var config = new Option<string?>("--config") { Description = "Extra HOCON file; see hocon/distcache.conf for every setting." };
        var partitions = new Option<int?>("--partitions") { Description = "Number of partitions (fixed for the life of the data; default 256)." };
        var journal = new Option<string?>("--journal") { Description = "sqlite (default) or postgres." };
        var connection = new Option<string?>("--connection-string") { Description = "ADO.NET connection string of the journal database." };
        var connectionFile = new Option<string?>("--connection-string-file")
        {
            Description = "A file holding the connection string, e.g. a mounted Secret (distcache.connection-string-file).",
        };
        var durability = new Option<string?>("--durability")
        {
            Description = "When a write is acknowledged: always (after the journal write; default), batched (journaled right after), none (memory only).",
        };
        durability.AcceptOnlyFromAmong("always", "batched", "none");
        var http = new Option<int?>("--http-port") { Description = "Serve /health/live, /health/ready and /metrics (Prometheus) on this port (off by default)." };
        var tokenFile = new Option<string?>("--http-token-file")
        {
            Description = "File holding a bearer token that /metrics and the management endpoint require (distcache.http.token-file; health stays open unless distcache.http.protect-health = on; with --discovery every node must have the same token).",
        };
        var resp = new Option<int?>("--resp-port")
        {
            Description = "Speak the Redis protocol (RESP2/RESP3) on this port, for redis-cli and Redis client libraries (off by default).",
        };
        var respPassword = new Option<string?>("--resp-password-file")
        {
            Description = "A file holding the password Redis clients must give with AUTH (Redis's requirepass; distcache.resp.requirepass-file).",
        };
        var respUsers = new Option<string?>("--resp-users")
        {
            Description = "A Redis ACL users file (user <name> on >password +@read ~app:* …) for the Redis port (distcache.resp.users-file).",
        };
        var respAnnounceHost = new Option<string?>("--resp-announce-host")
        {
            Description = "Host Redis Cluster clients are told to use for this node in CLUSTER SLOTS and MOVED (default: --host; distcache.resp.announce-host).",
        };
        var respAnnouncePort = new Option<int?>("--resp-announce-port")
        {
            Description = "Port Redis Cluster clients are told to use for this node (default: --resp-port; distcache.resp.announce-port).",
        };
        var respClusterMode = new Option<string?>("--resp-cluster-mode")
        {
            Description = "off (default): standalone, any node serves any key; auto: answer CLUSTER and redirect the clients that route by slot; on: Redis Cluster, MOVED for every client (distcache.resp.cluster-mode).",
        };
        respClusterMode.AcceptOnlyFromAmong("auto", "on", "off");
        var keyspaceEvents = new Option<string?>("--notify-keyspace-events")
        {
            Description = "Redis keyspace notifications, as Redis's notify-keyspace-events: e.g. KEA; empty (default) for none (distcache.notify-keyspace-events).",
        };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "The node's certificate, PEM or .pfx (turns TLS on; distcache.tls.cert)." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert (distcache.tls.key)." };
        var tlsPassword = new Option<string?>("--tls-password-file") { Description = "A file holding the password of the key or .pfx (distcache.tls.password-file)." };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "PEM bundle of the cluster CA; peers must chain to it (distcache.tls.ca)." };
        var discovery = new Option<string?>("--discovery")
        {
            Description = "How nodes find each other: none (default: --seed and the store), config (--discovery-endpoint list) or kubernetes (pods by label) (distcache.discovery.method).",
        };
        discovery.AcceptOnlyFromAmong("none", "config", "kubernetes");
        var discoveryService = new Option<string?>("--discovery-service") { Description = "The service name discovery looks up (default distcache; distcache.discovery.service-name)." };
        var discoveryEndpoints = new Option<string[]>("--discovery-endpoint")
        {
            Description = "config discovery: a node's management endpoint as host:port, this node's included (repeatable; distcache.discovery.endpoints).",
        };
        var discoverySelector = new Option<string?>("--discovery-label-selector")
        {
            Description = "kubernetes discovery: the label selector of the DistCache pods (default app=distcache; distcache.discovery.label-selector).",
        };
        var discoveryNamespace = new Option<string?>("--discovery-namespace")
        {
            Description = "kubernetes discovery: the namespace to list (default: the pod's own; distcache.discovery.namespace).",
        };
        var managementPort = new Option<int?>("--management-port")
        {
            Description = "Akka.Management HTTP port on --host, started only with --discovery (default 8558; serves GET /bootstrap/seed-nodes only, behind --http-token-file and HTTPS as the HTTP port; distcache.discovery.management-port).",
        };
        var requiredContactPoints = new Option<int?>("--required-contact-points")
        {
            Description = "Nodes discovery must see before the first one may form a cluster (default 2; distcache.discovery.required-contact-points).",
        };
        foreach (var option in new Option[] { discovery, discoveryService, discoveryEndpoints, discoverySelector, discoveryNamespace, managementPort, requiredContactPoints })
            command.Options.Add(option);
        foreach (var option in new Option[] { host, port, seeds, data, config, partitions, journal, connection, connectionFile, durability, http, tokenFile, resp, respPassword, respUsers, respAnnounceHost, respAnnouncePort, respClusterMode, keyspaceEvents, tlsCert, tlsKey, tlsPassword, tlsCa })
            command.Options.Add(option);

        command.SetAction((result, cancellation) => RunAsync(result.GetValue(resp), new NodeOptions
        {
            Host = result.GetValue(host)!,
            Port = result.GetValue(port),
            Seeds = result.GetValue(seeds) ?? [],
            DataDir = result.GetValue(data),
            ConfigFile = result.GetValue(config),
            Partitions = result.GetValue(partitions),
            Journal = result.GetValue(journal),
            ConnectionString = result.GetValue(connection),
            ConnectionStringFile = result.GetValue(connectionFile),
            Durability = result.GetValue(durability),
            RespPasswordFile = result.GetValue(respPassword),
            RespUsersFile = result.GetValue(respUsers),
            RespPort = result.GetValue(resp),
            RespAnnounceHost = result.GetValue(respAnnounceHost),
            RespAnnouncePort = result.GetValue(respAnnouncePort),
            RespClusterMode = result.GetValue(respClusterMode),
            NotifyKeyspaceEvents = result.GetValue(keyspaceEvents),
            HttpPort = result.GetValue(http),
            HttpTokenFile = result.GetValue(tokenFile),
            TlsCert = result.GetValue(tlsCert),
            TlsKey = result.GetValue(tlsKey),
            TlsPasswordFile = result.GetValue(tlsPassword),
            TlsCa = result.GetValue(tlsCa),
            Discovery = result.GetValue(discovery),
            DiscoveryService = result.GetValue(discoveryService),
            DiscoveryEndpoints = result.GetValue(discoveryEndpoints),
            DiscoveryLabelSelector = result.GetValue(discoverySelector),
            DiscoveryNamespace = result.GetValue(discoveryNamespace),
            ManagementPort = result.GetValue(managementPort),
            RequiredContactPoints = result.GetValue(requiredContactPoints),
        }));
    }

    // A users file whose user default is on nopass; a file with a mistake is reported when the Redis port starts.
    private static bool OpensDefaultUser(RespSettings settings)
    {
        try
        {
            return settings.UsersFile is not null && Resp.Acl.RespUsers.From(settings).Initial is not null;
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    private static async Task<int> RunAsync(int? respPort, NodeOptions options)
    {
        var httpPort = options.HttpPort;
        if (httpPort is < 1 or > 65535)
        {
            await Console.Error.WriteLineAsync($"distcache: configuration error: --http-port {httpPort} is not a TCP port (1-65535)");
            return 2;
        }
        if (options.RespAnnouncePort is < 1 or > 65535)
        {
            await Console.Error.WriteLineAsync($"distcache: configuration error: --resp-announce-port {options.RespAnnouncePort} is not a TCP port (1-65535)");
            return 2;
        }
        if (respPort is < 1 or > 65535)
        {
            await Console.Error.WriteLineAsync($"distcache: configuration error: --resp-port {respPort} is not a TCP port (1-65535)");
            return 2;
        }
        var started = Stopwatch.StartNew();
        DistCacheNode node;
        Telemetry.OtlpExport otel;
        try
        {
            otel = Telemetry.OtlpExport.FromEnvironment();
            node = DistCacheNode.Start(options);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"distcache: configuration error: {ex.Message}");
            return 2;
        }
        catch (TlsHandshakeFailedException ex)
        {
            await Console.Error.WriteLineAsync($"distcache: {ex.Message}");
            return 2;
        }

        if (Security.ExposureWarning.For(options.Host, respPort is not null, node.Settings.Resp.RequirePass is not null || node.Settings.Resp.UsersFile is not null,
                httpPort is not null, node.Settings.Http.Token is not null, node.Settings.Tls, OpensDefaultUser(node.Settings.Resp),
                managementPort: node.Settings.Discovery.Enabled) is { } warning)
            await Console.Error.WriteLineAsync(warning);

        using var telemetry = otel;
        if (otel.Description is { } exporting)
            await Console.Out.WriteLineAsync(exporting);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Leave);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Leave);

        Microsoft.AspNetCore.Builder.WebApplication? http = null;
        if (httpPort is { } p)
        {
            try
            {
                http = await Http.NodeHttpEndpoint.StartAsync(node, options.Host, p);
                await Console.Out.WriteLineAsync($"DistCache HTTP on {(node.Settings.Tls.OnHttp ? "https" : "http")}://{options.Host}:{p} (/health/live, /health/ready, /metrics)");
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"distcache: configuration error: --http-port {p}: {ex.Message}");
                await node.ShutdownAsync();
                return 2;
            }
        }

        Resp.RespServer? respServer = null;
        if (respPort is { } rp)
        {
            try
            {
                respServer = Resp.RespServer.Start(node, options.Host, rp);
                await Console.Out.WriteLineAsync($"DistCache RESP (Redis protocol) on {options.Host}:{rp}{(respServer.Tls ? " over TLS" : "")}");
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ConfigurationException)
            {
                // A port in use, or a users file with a mistake (its reason names the setting and the line).
                await Console.Error.WriteLineAsync(ex is ConfigurationException
                    ? $"distcache: configuration error: {ex.Message}"
                    : $"distcache: configuration error: --resp-port {rp}: {ex.Message}");
                if (http is not null)
                    await http.StopAsync();
                await node.ShutdownAsync();
                return 2;
            }
        }

        if (node.Settings.Discovery.Enabled)
            await Console.Out.WriteLineAsync(
                $"DistCache management (Cluster Bootstrap) on {(node.Settings.Tls.OnHttp ? "https" : "http")}://{options.Host}:{node.Settings.Discovery.ManagementPort}/bootstrap/seed-nodes, discovery {node.Settings.Discovery.Method.ToString().ToLowerInvariant()}");
        await Console.Out.WriteLineAsync(
            $"DistCache node starting on {options.Host}:{options.Port} ({node.Settings.Partitions} partitions, {node.Settings.Journal} journal at {StoreGuard.Describe(node.Settings)})");
        var up = await Task.WhenAny(node.WhenUp, node.WhenTerminated);
        if (up == node.WhenUp)
        {
            await Console.Out.WriteLineAsync($"DistCache ready on {options.Host}:{options.Port}");
            _ = ReportRecoveryAsync(node, started);
        }
        await node.WhenTerminated;
        if (respServer is not null)
        {
            await respServer.DrainAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
            await respServer.DisposeAsync();
        }
        if (http is not null)
            await http.StopAsync();
        if (node.FormationRefusal is { } refusal)
        {
            await Console.Error.WriteLineAsync($"distcache: configuration error: {refusal}");
            return 2;
        }
        if (TlsHandshakeFailedException.Of(node.System) is { } tls)
        {
            await Console.Error.WriteLineAsync($"distcache: {tls.Message}");
            return 2;
        }
        await Console.Out.WriteLineAsync("DistCache node stopped");
        return 0;

        static async Task ReportRecoveryAsync(DistCacheNode node, Stopwatch started)
        {
            // Only a node that hosts every partition (a one-node cluster) sees them all recover.
            await node.Recovery.WhenAllRecovered;
            await Console.Out.WriteLineAsync(
                $"DistCache recovered {node.Recovery.RecoveredPartitions} partitions ({node.Recovery.RecoveredKeys} keys) {started.ElapsedMilliseconds} ms after start");
        }

        void Leave(PosixSignalContext context)
        {
            // Keep the process alive until the coordinated shutdown has handed our shards off.
            context.Cancel = true;
            Console.Out.WriteLine($"DistCache node leaving the cluster ({context.Signal})");
            _ = node.ShutdownAsync();
        }
    }
}
