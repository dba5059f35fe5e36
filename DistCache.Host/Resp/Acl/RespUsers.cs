using DistCache.Actors.Cluster;

namespace DistCache.Host.Resp.Acl;

/// <summary>The users of a node's Redis endpoint. Without a users file there is one, <c>default</c>, with
/// every permission: open, or with the requirepass password (Redis's model). With a users file there are
/// exactly the users it lists: a <c>default</c> it does not list is off (Redis would make it
/// <c>on nopass +@all ~*</c>, which would leave the endpoint open by omission).</summary>
public sealed class RespUsers(IReadOnlyDictionary<string, AclUser> users)
{
    public const string DefaultName = "default";

    /// <summary>The users the settings describe; reads and checks the users file, so a mistake in it
    /// stops the host before the endpoint listens.</summary>
    public static RespUsers From(RespSettings settings) => settings.UsersFile is { } file
        ? AclFileParser.Load(Path.GetFullPath(file), $"{RespSettings.UsersFileKey} (--resp-users)")
        : new RespUsers(new Dictionary<string, AclUser> { [DefaultName] = AclUser.Everything(DefaultName, settings.RequirePass) });

    public int Count => users.Count;

    /// <summary>The user a new connection is before any AUTH: <c>default</c> when it is on and needs no
    /// password (Redis authenticates such connections at once), otherwise nobody.</summary>
    public AclUser? Initial { get; } = users.TryGetValue(DefaultName, out var d) && d is { Enabled: true, NoPass: true } ? d : null;

    /// <summary>Whether AUTH &lt;password&gt; alone makes sense: not when the default user takes any password.</summary>
    public bool DefaultNeedsPassword => !(users.TryGetValue(DefaultName, out var d) && d.NoPass);

    public AclUser? Find(string name) => users.GetValueOrDefault(name);

    /// <summary>The user, when it exists, is on, and <paramref name="password"/> is one of its passwords.
    /// The password is hashed whatever the name, so the time taken does not tell which users exist.</summary>
    public AclUser? Authenticate(string name, ReadOnlySpan<byte> password)
    {
        var hash = AclUser.Hash(password);
        return users.TryGetValue(name, out var user) && user.Accepts(hash) && user.Enabled ? user : null;
    }
}
