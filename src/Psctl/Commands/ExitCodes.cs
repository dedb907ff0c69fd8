namespace ParamServer.Psctl.Commands;

/// <summary>Process exit codes of psctl.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed: a process, an RPC or the data failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line or configuration file was invalid.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
