using DistCache.Client;
using DistCache.Protocol;
using System.Security.Cryptography;
using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp.Acl;

/// <summary>One user of the Redis endpoint as an ACL line describes it: on or off, its passwords (kept
/// only as SHA-256) or nopass, the commands it may run (one flag per row of <see cref="RespCommandTable"/>)
/// and the key patterns it may read and write. Built by <see cref="AclFileParser"/> and then only read.</summary>
public sealed class AclUser
{
    private readonly List<RespPassword> _passwords = [];
    private readonly List<AclKeyPattern> _keys = [];
    private readonly List<byte[]> _channels = [];
    private readonly bool[] _commands = new bool[RespCommandTable.All.Count];

    public AclUser(string name) => Name = name;

    public string Name { get; }

    public bool Enabled { get; private set; }

    /// <summary>Any password is accepted (Redis's <c>nopass</c>).</summary>
    public bool NoPass { get; private set; }

    /// <summary>Every key may be read and written (<c>allkeys</c>, <c>~*</c>): FLUSHALL, FLUSHDB and DBSIZE need it.</summary>
    public bool AllKeys { get; private set; }

    /// <summary>Every pub/sub channel (<c>allchannels</c>, <c>&amp;*</c>). Without it a user reaches only the
    /// channels its <c>&amp;pattern</c> rules match; a new user has none, as with Redis 7's default
    /// (acl-pubsub-default resetchannels).</summary>
    public bool AllChannels { get; private set; }

    /// <summary>Every command and every key: the check per command is skipped.</summary>
    public bool Unrestricted { get; private set; }

    /// <summary>What requirepass (or no password at all) means: user <c>default</c>, on, every command and key.</summary>
    public static AclUser Everything(string name, RespPassword? password)
    {
        var user = new AclUser(name);
        user.SetEnabled(true);
        if (password is null)
            user.SetNoPass();
        else
            user.AddPassword(password);
        user.SetAllCommands(true);
        user.AddKeys(AclKeyPattern.All);
        user.AddChannels("*");
        return user;
    }

    public bool CanRun(RespCommandSpec command) => _commands[command.Index];

    /// <summary>Whether a pattern grants <paramref name="key"/> with the access asked for (Redis's
    /// ACLSelectorCheckKey: a command that neither reads nor writes values, such as EXISTS, needs any
    /// pattern that matches).</summary>
    public bool CanAccess(CacheKey key, bool read, bool write)
    {
        if (AllKeys)
            return true;
        foreach (var pattern in _keys)
        {
            if ((!read || pattern.Read) && (!write || pattern.Write) && KeyPattern.Matches(pattern.Bytes, key))
                return true;
        }
        return false;
    }

    /// <summary>Whether the user may publish to or subscribe to <paramref name="channel"/> (Redis's
    /// ACLCheckChannelAgainstList): a pattern of its &amp; rules matches it.</summary>
    public bool CanUseChannel(ReadOnlySpan<byte> channel)
    {
        if (AllChannels)
            return true;
        foreach (var pattern in _channels)
        {
            if (KeyPattern.Matches(pattern, channel))
                return true;
        }
        return false;
    }

    /// <summary>Whether the user may PSUBSCRIBE <paramref name="pattern"/>: only a pattern its rules name
    /// literally, as in Redis (a narrower pattern could not be told apart from a wider one in general).</summary>
    public bool CanUsePattern(ReadOnlySpan<byte> pattern)
    {
        if (AllChannels)
            return true;
        foreach (var allowed in _channels)
        {
            if (allowed.AsSpan().SequenceEqual(pattern))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="passwordSha256"/> is one of the user's passwords, each compared in constant time.</summary>
    public bool Accepts(ReadOnlySpan<byte> passwordSha256)
    {
        var matched = NoPass;
        foreach (var password in _passwords)
            matched |= password.MatchesHash(passwordSha256);
        return matched;
    }

    internal void SetEnabled(bool enabled) => Enabled = enabled;

    internal void SetNoPass()
    {
        NoPass = true;
        _passwords.Clear();
    }

    internal void AddPassword(RespPassword password)
    {
        NoPass = false;
        _passwords.Add(password);
    }

    internal void ResetPasswords()
    {
        NoPass = false;
        _passwords.Clear();
    }

    internal void SetAllCommands(bool allowed)
    {
        Array.Fill(_commands, allowed);
        Seal();
    }

    internal void SetCategory(string category, bool allowed)
    {
        foreach (var command in RespCommandTable.All)
        {
            if (command.IsIn(category))
                _commands[command.Index] = allowed;
        }
        Seal();
    }

    internal void SetCommand(RespCommandSpec command, bool allowed)
    {
        _commands[command.Index] = allowed;
        Seal();
    }

    internal void AddKeys(AclKeyPattern pattern)
    {
        _keys.Add(pattern);
        Seal();
    }

    internal void AddChannels(string pattern)
    {
        _channels.Add(System.Text.Encoding.UTF8.GetBytes(pattern));
        AllChannels |= pattern == "*";
    }

    internal void ResetChannels()
    {
        _channels.Clear();
        AllChannels = false;
    }

    internal void ResetKeys()
    {
        _keys.Clear();
        Seal();
    }

    private void Seal()
    {
        AllKeys = _keys.Any(k => k is { Pattern: "*", Read: true, Write: true })
            || (_keys.Any(k => k is { Pattern: "*", Read: true }) && _keys.Any(k => k is { Pattern: "*", Write: true }));
        Unrestricted = AllKeys && Array.TrueForAll(_commands, allowed => allowed);
    }

    // A user prints its name only: never its password hashes.
    public override string ToString() => Name;

    internal static byte[] Hash(ReadOnlySpan<byte> password) => SHA256.HashData(password);
}

/// <summary>A key glob (<see cref="Glob"/>) and whether it grants reading, writing or both
/// (<c>~p</c> both, <c>%R~p</c> reading, <c>%W~p</c> writing).</summary>
public sealed record AclKeyPattern(string Pattern, bool Read, bool Write)
{
    public static readonly AclKeyPattern All = new("*", true, true);

    /// <summary>The pattern's bytes: keys are byte strings, and Redis matches key patterns byte by byte.</summary>
    public byte[] Bytes { get; } = System.Text.Encoding.UTF8.GetBytes(Pattern);
}
