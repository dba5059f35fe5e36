namespace DistCache.Actors.Dispatch;

/// <summary>A thread's permission for <see cref="InlineDispatcher"/> actors it sends to to run on it. Given by
/// a connection's read loop around the requests it starts, so a partition idle on this node answers before
/// the send returns. While one actor runs inline the permission is taken: whatever it sends in turn is
/// queued to the pool, so a chain of actors never runs, or recurses, on the caller's thread.</summary>
public static class CallerRuns
{
    [ThreadStatic]
    private static bool t_allowed;

    /// <summary>Allows inline runs on this thread until the scope is disposed. Do not await inside it: the
    /// permission belongs to the thread, not to the async flow.</summary>
    public static Scope Allow()
    {
        var previous = t_allowed;
        t_allowed = true;
        return new Scope(previous);
    }

    internal static bool Take()
    {
        if (!t_allowed)
            return false;
        t_allowed = false;
        return true;
    }

    internal static void Give() => t_allowed = true;

    public readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => t_allowed = previous;
    }
}
