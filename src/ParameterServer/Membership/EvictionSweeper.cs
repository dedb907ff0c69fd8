using ParamServer.Server.Jobs;

namespace ParamServer.Server.Membership;

/// <summary>
/// Background service that evicts workers whose heartbeats stopped, so no synchronous step or staleness wait hangs
/// on a dead worker. Runs every <see cref="Period"/> of the injected <see cref="TimeProvider"/>, so tests drive it by
/// advancing a fake clock.
/// </summary>
internal sealed class EvictionSweeper : BackgroundService
{
    /// <summary>Time between sweeps; an eviction happens at most this long after the timeout.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    private readonly JobRegistry _jobs;
    private readonly TimeProvider _time;
    private readonly ILogger<EvictionSweeper> _logger;

    public EvictionSweeper(JobRegistry jobs, TimeProvider time, ILogger<EvictionSweeper> logger)
    {
        _jobs = jobs;
        _time = time;
        _logger = logger;
    }

    /// <summary>Evicts expired workers of every job now; returns how many were evicted.</summary>
    public int SweepOnce()
    {
        int evicted = 0;
        long now = _time.GetTimestamp();
        foreach (ShardJob job in _jobs.Jobs)
        {
            try
            {
                evicted += job.EvictExpired(now);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                JobLog.SweepFailed(_logger, error, job.JobId, job.ShardIndex);
            }
        }

        return evicted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SweepOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
