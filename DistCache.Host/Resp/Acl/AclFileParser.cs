using System.Globalization;
using System.Text;
using Akka.Configuration;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp.Acl;

/// <summary>Reads a users file (distcache.resp.users-file): a subset of Redis's ACL file syntax, one
/// <c>user &lt;name&gt; rule…</c> per line, rules applied left to right as Redis does (src/acl.c
/// ACLSetUser). A mistake stops the host with the line number and the reason; the reason never repeats a
/// rule that could be a password.</summary>
public static class AclFileParser
{
    private const string Subset =
        "on off >password #sha256hex nopass resetpass +@category -@category +command -command allcommands nocommands " +
        "~glob %R~glob %W~glob %RW~glob allkeys resetkeys reset";

    public static RespUsers Load(string path, string setting)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read (" + ex.GetType().Name + ")";
            throw new ConfigurationException($"{setting} = '{path}': {why}");
        }
        return Parse(lines, $"{setting} = '{path}'");
    }

    /// <summary>Parses the lines of a users file; <paramref name="source"/> names it in errors.</summary>
    public static RespUsers Parse(IReadOnlyList<string> lines, string source)
    {
        var users = new Dictionary<string, AclUser>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            // Blank lines and # comments are a DistCache convenience; Redis's ACL files have neither.
            if (line.Length == 0 || line[0] == '#')
                continue;
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens[0] != "user")
                throw Error(source, i, "a line must start with 'user <name>'");
            if (tokens.Length < 2 || !IsName(tokens[1]))
                throw Error(source, i, "'user' must be followed by the user's name (letters, digits and - _ . @ :)");
            var name = tokens[1];
            if (users.ContainsKey(name))
                throw Error(source, i, $"user '{name}' is defined twice");
            var user = new AclUser(name);
            for (var j = 2; j < tokens.Length; j++)
            {
                if (Apply(user, tokens[j]) is { } reason)
                    throw Error(source, i, $"rule {j - 1} of user '{name}': {reason}");
            }
            users[name] = user;
        }
        return new RespUsers(users);
    }

    // Null when the rule applied; otherwise why not, in words that do not quote a password.
    private static string? Apply(AclUser user, string rule)
    {
        switch (rule)
        {
            case "on":
                user.SetEnabled(true);
                return null;
            case "off":
                user.SetEnabled(false);
                return null;
            case "nopass":
                user.SetNoPass();
                return null;
            case "resetpass":
                user.ResetPasswords();
                return null;
            case "allcommands" or "+@all":
                user.SetAllCommands(true);
                return null;
            case "nocommands" or "-@all":
                user.SetAllCommands(false);
                return null;
            case "allkeys":
                user.AddKeys(AclKeyPattern.All);
                return null;
            case "resetkeys":
                user.ResetKeys();
                return null;
            case "reset":
                user.ResetPasswords();
                user.ResetKeys();
                user.ResetChannels();
                user.SetAllCommands(false);
                user.SetEnabled(false);
                return null;
            case "allchannels":
                user.AddChannels("*");
                return null;
            case "resetchannels":
                user.ResetChannels();
                return null;
        }
        return rule[0] switch
        {
            '>' when rule.Length == 1 => "an empty password ('>' alone)",
            '>' => Do(() => user.AddPassword(RespPassword.Of(Encoding.UTF8.GetBytes(rule[1..])))),
            '#' => Hash(rule[1..]) is { } hash
                ? Do(() => user.AddPassword(RespPassword.FromHash(hash)))
                : "a password hash ('#') must be 64 hexadecimal characters, a SHA-256",
            '<' => "removing a password ('<') is not supported",
            '~' => Do(() => user.AddKeys(new AclKeyPattern(rule[1..], true, true))),
            '%' => KeyPattern(user, rule),
            '&' => Do(() => user.AddChannels(rule[1..])),
            '+' or '-' => Permission(user, rule[0] == '+', rule[1..]),
            _ => $"not a rule of the supported subset ({Subset})",
        };
    }

    private static string? Permission(AclUser user, bool allowed, string what)
    {
        if (what.StartsWith('@'))
        {
            var category = what[1..];
            if (!RespCommandTable.Categories.Contains(category))
                return $"unknown category '@{category}' (ACL CAT lists them)";
            user.SetCategory(what, allowed);
            return null;
        }
        if (what.Contains('|'))
            return $"subcommand rules ('{what}') are not supported: rules apply to whole commands";
        if (RespCommandTable.Find(what) is not { } command)
            return $"unknown command '{what}' (COMMAND LIST lists them)";
        user.SetCommand(command, allowed);
        return null;
    }

    // %R~glob, %W~glob, %RW~glob (Redis 7 selectors of read and write key access).
    private static string? KeyPattern(AclUser user, string rule)
    {
        var tilde = rule.IndexOf('~');
        var access = tilde < 0 ? "" : rule[1..tilde];
        if (access.Length == 0 || access.Any(c => c is not ('R' or 'W')))
            return "a key rule with '%' must read %R~glob, %W~glob or %RW~glob";
        user.AddKeys(new AclKeyPattern(rule[(tilde + 1)..], access.Contains('R'), access.Contains('W')));
        return null;
    }

    private static byte[]? Hash(string hex)
    {
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            return null;
        return Convert.FromHexString(hex);
    }

    private static bool IsName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or ':');

    private static string? Do(Action apply)
    {
        apply();
        return null;
    }

    private static ConfigurationException Error(string source, int index, string reason) =>
        new($"{source}: line {(index + 1).ToString(CultureInfo.InvariantCulture)}: {reason}");
}
