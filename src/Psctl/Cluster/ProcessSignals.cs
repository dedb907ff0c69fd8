using System.Runtime.InteropServices;

namespace ParamServer.Psctl.Cluster;

/// <summary>Sends POSIX signals to child processes; .NET has no public API for SIGTERM to another process.</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks process <paramref name="pid"/> to stop with SIGTERM; returns false where signals are unsupported.</summary>
    public static bool TryTerminate(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        return Kill(pid, SigTerm) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
