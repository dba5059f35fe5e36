using Hyperion;
using DistCache.Actors.Protocol;

namespace DistCache.Actors.Serialization;

/// <summary>Hyperion's allow-list: only DistCache's own protocol types may be instantiated from the wire,
/// so a peer cannot make a node deserialize an arbitrary .NET type. Hyperion asks with both the full and
/// the short assembly-qualified name, so the version part is ignored.</summary>
public sealed class ProtocolTypeFilter : ITypeFilter
{
    public static readonly ProtocolTypeFilter Instance = new();

    private readonly HashSet<string> _allowed;

    private ProtocolTypeFilter()
    {
        _allowed = typeof(IDistCacheMessage).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.Namespace == typeof(IDistCacheMessage).Namespace && !t.IsInterface)
            .Select(t => $"{t.FullName}, {t.Assembly.GetName().Name}")
            .ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> AllowedTypes => _allowed;

    public bool IsAllowed(string typeName)
    {
        var versionAt = typeName.IndexOf(", Version=", StringComparison.Ordinal);
        return _allowed.Contains(versionAt < 0 ? typeName : typeName[..versionAt]);
    }
}
