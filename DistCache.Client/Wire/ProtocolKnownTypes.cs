using Akka.Serialization;
using DistCache.Protocol;

namespace DistCache.Wire;

/// <summary>Types Hyperion may name by a number instead of by name and fields. A key is in nearly every
/// message, and Hyperion named its struct in full (type name and field name, about 60 bytes, a sixth of a
/// GET) in each message it appeared in. Both ends must list the same types in the same order: only append.</summary>
public sealed class ProtocolKnownTypes : IKnownTypesProvider
{
    public IEnumerable<Type> GetKnownTypes() => [typeof(CacheKey)];
}
