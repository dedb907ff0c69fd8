namespace ParamServer.Worker.Hosting;

/// <summary>Process exit codes of the worker, for launchers and orchestrators.</summary>
public static class WorkerExitCode
{
    /// <summary>Training finished: all epochs done or max_steps reached (evaluator: training ended).</summary>
    public const int Finished = 0;

    /// <summary>An unexpected error; the log and the last progress line name it.</summary>
    public const int Failed = 1;

    /// <summary>Invalid configuration: an option, the job file or the shard list.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>A shard rejected the job or the worker: unknown job, mismatched shards, a model the worker cannot train.</summary>
    public const int JobRejected = 3;

    /// <summary>Shards stayed unreachable through every retry, or sent replies that break the protocol.</summary>
    public const int ShardsUnavailable = 4;

    /// <summary>The data set is missing or malformed, or the accelerator could not be set up.</summary>
    public const int DataOrDeviceError = 5;

    /// <summary>Stopped by SIGTERM, SIGINT or the host before the job finished; the worker deregistered.</summary>
    public const int Stopped = 6;
}
