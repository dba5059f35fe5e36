namespace DistCache.Tests.Security;

/// <summary>A type a hostile peer names on the wire: it counts every time anything constructs it or sets
/// its property, which is all a deserializer gadget needs (a constructor or setter with side effects).</summary>
public sealed class InstantiationProbe
{
    private static int _effects;
    private string _note = "";

    public InstantiationProbe() => Interlocked.Increment(ref _effects);

    /// <summary>Constructors run plus setters run, process-wide.</summary>
    public static int Effects => Volatile.Read(ref _effects);

    public string Note
    {
        get => _note;
        set
        {
            Interlocked.Increment(ref _effects);
            _note = value;
        }
    }
}
