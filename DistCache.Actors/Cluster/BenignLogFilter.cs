using System.Text.RegularExpressions;
using Akka.Event;

namespace DistCache.Actors.Cluster;

/// <summary>Drops the log lines Akka.NET writes, at warning and error level, for events that are normal on a
/// node, so an operator reading the log sees only what needs a look:
/// <list type="bullet">
/// <item>a client leaving: every CLI command and every application that stops a client ends its association,
/// and Akka.Remote answers with a warning and an error carrying a stack trace
/// (Akka.Remote's internal <c>EndpointDisassociatedException</c>). Only endpoints to systems other than a node's are
/// quieted; a node of the cluster disassociating is still logged.</item>
/// <item>"Id must not be empty, dropping message [UpdateDone]" from a shard: Akka.NET's shard writes a second
/// remember-entities update when a start arrives while one is in flight, then gets one reply more than it
/// waits for (akka-notes: "remember-entities UpdateDone"). The entities start either way.</item>
/// </list></summary>
public sealed class BenignLogFilter : LogFilterBase
{
    // reliableEndpointWriter-akka.tcp%3A%2F%2F<system>%40<host>..., the remote system's name URL-encoded.
    private static readonly Regex ClientEndpoint = new(
        @"reliableEndpointWriter-akka\.(ssl\.)?tcp%3A%2F%2F(?!" + Regex.Escape(NodeConfigBuilder.SystemName) + "%40)",
        RegexOptions.Compiled | RegexOptions.IgnoreCase);

    // Internal to Akka.Remote, so known by name.
    private const string DisassociatedException = "Akka.Remote.EndpointDisassociatedException";

    public override LogFilterType FilterType => LogFilterType.Content;

    public override LogFilterDecision ShouldKeepMessage(LogEvent content, string? expandedMessage = null) =>
        IsBenign(content) ? LogFilterDecision.Drop : LogFilterDecision.Keep;

    public static bool IsBenign(LogEvent evt) => evt switch
    {
        Error error => error.Cause?.GetType().FullName == DisassociatedException && ClientEndpoint.IsMatch(evt.LogSource ?? ""),
        Warning warning => IsClientAssociationEnded(warning) || IsExtraRememberReply(warning),
        _ => false,
    };

    private static bool IsClientAssociationEnded(Warning warning) =>
        ClientEndpoint.IsMatch(warning.LogSource ?? "")
        && Text(warning).StartsWith("Association with remote system", StringComparison.Ordinal)
        && Text(warning).Contains(DisassociatedException, StringComparison.Ordinal);

    private static bool IsExtraRememberReply(Warning warning) =>
        Text(warning).EndsWith("Id must not be empty, dropping message [UpdateDone]", StringComparison.Ordinal);

    private static string Text(LogEvent evt) => evt.Message?.ToString() ?? "";

    public static LogFilterSetup Setup() => new LogFilterBuilder().Add(new BenignLogFilter()).Build();
}
