namespace DistCache.Tests.Support;

/// <summary>A folder of its own per test, removed afterwards, so journals never leak between tests.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "distcache-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds the SQLite file; the OS temp cleaner gets it.
        }
    }
}
