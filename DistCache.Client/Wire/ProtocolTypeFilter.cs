using Hyperion;
using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>Hyperion's allow-list: only DistCache's own protocol types may be instantiated from the wire,
/// so a peer cannot make a node deserialize an arbitrary .NET type. Hyperion asks with both the full and
/// the short assembly-qualified name, so the version part is ignored.</summary>
public sealed class ProtocolTypeFilter : ITypeFilter
{
    public static readonly ProtocolTypeFilter Instance = new();

    private readonly HashSet<string> _allowed;
    // Protocol interfaces, allowed only as an array's element type (a transaction's commands and replies):
    // each element is then checked by its own concrete type, so such an array is as safe as its elements.
    private readonly HashSet<string> _interfaces;

    private ProtocolTypeFilter()
    {
        _allowed = typeof(IDistCacheMessage).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.Namespace == typeof(IDistCacheMessage).Namespace && !t.IsInterface)
            .Select(t => $"{t.FullName}, {t.Assembly.GetName().Name}")
            .ToHashSet(StringComparer.Ordinal);
        _interfaces = typeof(IDistCacheMessage).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.Namespace == typeof(IDistCacheMessage).Namespace && t.IsInterface)
            .Select(t => $"{t.FullName}, {t.Assembly.GetName().Name}")
            .ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> AllowedTypes => _allowed;

    public bool IsAllowed(string typeName)
    {
        var versionAt = typeName.IndexOf(", Version=", StringComparison.Ordinal);
        var name = versionAt < 0 ? typeName : typeName[..versionAt];
        // Hyperion names core-library types with a placeholder for the assembly: "System.TimeSpan, System.Private.CoreLib,%core%".
        if (name.EndsWith(",%core%", StringComparison.Ordinal))
            name = name[..^",%core%".Length];
        // Arrays of protocol types (MGET's values, MSET's entries) are as safe as their elements, and so
        // are arrays of arrays (a list's elements are byte[][]).
        int arrayAt;
        var array = false;
        while ((arrayAt = name.IndexOf("[], ", StringComparison.Ordinal)) > 0)
        {
            name = name[..arrayAt] + name[(arrayAt + 2)..];
            array = true;
        }
        return _allowed.Contains(name) || SafeSystemTypes.Contains(name) || (array && _interfaces.Contains(name));
    }

    // Plain data types protocol messages carry (a TTL, a request id, array elements): no behaviour on load.
    private static readonly HashSet<string> SafeSystemTypes = new(StringComparer.Ordinal)
    {
        "System.String, System.Private.CoreLib",
        "System.Byte, System.Private.CoreLib",
        "System.TimeSpan, System.Private.CoreLib",
        "System.Guid, System.Private.CoreLib",
        "System.Int64, System.Private.CoreLib",
    };
}
