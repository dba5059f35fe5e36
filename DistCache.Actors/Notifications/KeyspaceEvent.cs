using DistCache.Protocol;

namespace DistCache.Actors.Notifications;

/// <summary>One keyspace notification: <see cref="Name"/> is Redis's event name ("set", "lpush", "expired"…),
/// published as the message of <c>__keyspace@0__:&lt;key&gt;</c> and as the channel of <c>__keyevent@0__:&lt;name&gt;</c>.</summary>
public readonly record struct KeyspaceEvent(KeyspaceEventClasses Class, string Name, CacheKey Key);
