using System.Diagnostics;
using System.IO.Compression;
using DistCache.Tests.Support;

namespace DistCache.Tests.Host;

/// <summary>`dotnet pack` makes the client a NuGet package and the host a .NET tool named distcache; the
/// tool installs from the local package and works.</summary>
public sealed class PackageTests : IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_folder_and_serves_and_answers()
    {
        var packages = Path.Combine(_work.Path, "packages");
        var tools = Path.Combine(_work.Path, "tools");
        var root = PostgresServer.RepositoryRoot();
        // The tests run from bin/<Configuration>/…: pack what that build produced instead of building again.
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        foreach (var project in new[] { "DistCache.Actors", "DistCache.Client", "DistCache.Host" })
            await Run("dotnet", "pack", Path.Combine(root, project), "-c", configuration, "--no-build", "-o", packages);

        using (var client = ZipFile.OpenRead(Path.Combine(packages, "DistCache.Client.0.1.0.nupkg")))
        {
            var entries = client.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("README.md", entries);
            Assert.Contains("lib/net10.0/DistCache.Client.xml", entries);
            Assert.Contains("lib/net10.0/DistCache.Client.dll", entries);
            // The client carries the protocol and the wire serializer, never the node: no storage, sharding or metrics.
            var nuspec = client.Entries.Single(e => e.FullName == "DistCache.Client.nuspec");
            using var reader = new StreamReader(nuspec.Open());
            var dependencies = System.Xml.Linq.XDocument.Parse(await reader.ReadToEndAsync()).Descendants()
                .Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToArray();
            Assert.Contains("Akka.Cluster.Tools", dependencies);
            foreach (var serverOnly in new[] { "DistCache.Actors", "Akka.Persistence.Sql", "Akka.Persistence", "Akka.Cluster.Sharding",
                         "Microsoft.Data.Sqlite", "Npgsql", "prometheus-net" })
                Assert.DoesNotContain(serverOnly, dependencies);
        }

        await Run("dotnet", "tool", "install", "distcache", "--tool-path", tools, "--add-source", packages, "--version", "0.1.0");
        var distcache = Path.Combine(tools, "distcache");
        var help = await Run(distcache, "--help");
        Assert.Contains("DistCache", help);
        Assert.Contains("serve", help);

        var port = FreePort.Next();
        var data = Path.Combine(_work.Path, "data");
        using var host = Process.Start(new ProcessStartInfo(distcache, ["--port", port.ToString(), "--data", data])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var ready = new TaskCompletionSource();
            host.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("DistCache ready") == true) ready.TrySetResult(); };
            host.BeginOutputReadLine();
            host.BeginErrorReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));

            var contact = $"127.0.0.1:{port}";
            Assert.Equal("OK", (await Run(distcache, "set", "tool-key", "from the tool", "--contact", contact, "--timeout", "30")).Trim());
            Assert.Equal("from the tool", (await Run(distcache, "get", "tool-key", "--contact", contact, "--timeout", "30")).Trim());
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync();
        }
    }

    private static async Task<string> Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
