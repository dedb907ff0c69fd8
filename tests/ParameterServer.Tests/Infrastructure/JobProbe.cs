using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Tests.Infrastructure;

/// <summary>Direct access to a shard's jobs, to wait for server-side conditions without sleeping.</summary>
internal static class JobProbe
{
    public static ShardJob Job(this RunningShard shard, string jobId) =>
        shard.Services.GetRequiredService<JobRegistry>().Get(jobId);

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking on every change of the job's state.</summary>
    public static async Task WaitUntilAsync(this ShardJob job, Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            Task changed = job.WhenChanged();
            if (condition())
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Waits until the shard has accepted <paramref name="step"/> from <paramref name="workerId"/>.</summary>
    public static Task WaitForAcceptedAsync(this ShardJob job, uint workerId, long step) =>
        job.WaitUntilAsync(() => job.GetStatus().Workers.Any(worker => worker.WorkerId == workerId && worker.LastStep >= step));

    /// <summary>Builds a job outside any host, for tests of the step logic that need no wire.</summary>
    public static ShardJob Standalone(JobSpec spec, TimeProvider? time = null) => new(
        JobSpecValidator.Normalize(spec, spec.NumShards == 0 ? 1 : spec.NumShards, 0),
        0,
        TimeSpan.FromSeconds(30),
        1024,
        new DefaultJobComponentFactory(),
        time ?? TimeProvider.System,
        NullLogger.Instance);
}
