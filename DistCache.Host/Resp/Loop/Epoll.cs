using System.Runtime.InteropServices;

namespace DistCache.Host.Resp.Loop;

/// <summary>Linux's epoll and eventfd, as the RESP event loop uses them. .NET keeps its own epoll to
/// itself and hands every readiness event from its one epoll thread to a pool worker; a loop that owns
/// its epoll runs the connection on the thread that was woken, as Redis's event loop does.</summary>
internal static unsafe class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;

    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const int CtlMod = 3;
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const int Interrupted = 4;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>Whether this process can run the loop (Linux on x86-64 or ARM64).</summary>
    public static bool Supported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static int Create() => Check(epoll_create1(CloseOnExec), "epoll_create1");

    public static int CreateEventFd() => Check(eventfd(0, NonBlocking | CloseOnExec), "eventfd");

    public static void Add(int epoll, int fd, uint events) => Control(epoll, CtlAdd, fd, events);

    public static void Modify(int epoll, int fd, uint events) => Control(epoll, CtlMod, fd, events);

    public static void Remove(int epoll, int fd) => Control(epoll, CtlDel, fd, 0);

    /// <summary>Waits for events into <paramref name="events"/> (<see cref="EventSize"/> bytes each);
    /// returns how many, 0 when a signal interrupted the wait.</summary>
    public static int Wait(int epoll, byte[] events, int timeoutMs)
    {
        fixed (byte* buffer = events)
        {
            var count = epoll_wait(epoll, buffer, events.Length / EventSize, timeoutMs);
            if (count >= 0)
                return count;
            var errno = Marshal.GetLastPInvokeError();
            return errno == Interrupted ? 0 : throw new IOException($"epoll_wait failed: errno {errno}");
        }
    }

    public static (int Fd, uint Events) EventAt(byte[] events, int index)
    {
        var offset = index * EventSize;
        return ((int)BitConverter.ToUInt64(events, offset + DataOffset), BitConverter.ToUInt32(events, offset));
    }

    /// <summary>Adds one to an eventfd: wakes the loop waiting on it.</summary>
    public static void Signal(int fd)
    {
        ulong one = 1;
        write(fd, &one, sizeof(ulong));
    }

    /// <summary>Reads an eventfd back to zero.</summary>
    public static void Drain(int fd)
    {
        ulong count;
        read(fd, &count, sizeof(ulong));
    }

    public static void Close(int fd) => close(fd);

    private static void Control(int epoll, int op, int fd, uint events)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + DataOffset) = (ulong)fd;
        if (epoll_ctl(epoll, op, fd, ev) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"epoll_ctl({op}) on fd {fd} failed: errno {errno}");
        }
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int eventfd(uint initval, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, void* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, void* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
