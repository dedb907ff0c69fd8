namespace ParamServer.Worker.Hosting;

/// <summary>The exit code the worker service chose, read by Program after the host stops.</summary>
public sealed class WorkerExitState
{
    private int _exitCode = WorkerExitCode.Stopped;

    /// <summary>Exit code of the process; <see cref="WorkerExitCode.Stopped"/> until the run ends.</summary>
    public int ExitCode
    {
        get => Volatile.Read(ref _exitCode);
        set => Volatile.Write(ref _exitCode, value);
    }
}
