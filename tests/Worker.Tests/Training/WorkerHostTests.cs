using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Hosting;
using ParamServer.Worker.Tests.Training.Infrastructure;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training;

/// <summary>The worker's generic host as Program builds it, configured through command-line arguments.</summary>
public sealed class WorkerHostTests
{
    [Fact]
    public async Task Host_SyntheticJob_ExitsZero()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(2);
        JobSpec job = TestJobs.Softmax("host", shards: 2, epochs: 2);
        await cluster.CreateJobAsync(job);
        var output = new StringWriter();

        int exitCode = await RunHostAsync(output, $"--Worker:Shards={string.Join(',', cluster.Endpoints)}",
            "--Worker:JobId=host", "--Worker:Name=host-worker", "--Worker:Accelerator=cpu");

        Assert.Equal(WorkerExitCode.Finished, exitCode);
        JsonElement[] lines = Lines(output);
        Assert.Equal(
            ["started", "step", "epoch", "step", "epoch", "finished"],
            lines.Select(l => l.GetProperty("event").GetString()));
        Assert.Equal("trainer", lines[0].GetProperty("role").GetString());
        Assert.Equal("host-worker", lines[0].GetProperty("name").GetString());
        JsonElement finished = lines[^1];
        Assert.Equal(0, finished.GetProperty("exit_code").GetInt32());
        Assert.Equal("completed", finished.GetProperty("reason").GetString());
        Assert.Equal(32, finished.GetProperty("steps").GetInt64());
        Assert.Equal(32, finished.GetProperty("version").GetInt64());
        Assert.Empty((await cluster.StatusAsync(0, job.JobId)).Jobs.Single().Workers);
    }

    [Fact]
    public async Task Host_UnknownJob_ExitsWithJobRejected()
    {
        await using LoopbackCluster cluster = await LoopbackCluster.StartAsync(1);
        var output = new StringWriter();

        int exitCode = await RunHostAsync(output, $"--Worker:Shards={cluster.Endpoints[0]}", "--Worker:JobId=missing");

        Assert.Equal(WorkerExitCode.JobRejected, exitCode);
        JsonElement failed = Assert.Single(Lines(output));
        Assert.Equal("failed", failed.GetProperty("event").GetString());
        Assert.Equal(3, failed.GetProperty("exit_code").GetInt32());
        Assert.Contains("NotFound", failed.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Host_InvalidOptions_FailsAtStart()
    {
        using IHost host = Build(new StringWriter(), "--Worker:ChunkBytes=12", "--Worker:MaxRetries=-3");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => host.StartAsync().WaitAsync(TestTimeouts.Default));

        Assert.Contains("Worker:JobId is empty; expected the id of the job to train, such as --Worker:JobId=mnist.", error.Failures);
        Assert.Contains("Worker:ChunkBytes is 12; expected 4096 to 4128768.", error.Failures);
        Assert.Contains("Worker:MaxRetries is -3; expected 0 to 1000.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Worker:Shards and Worker:ShardsDns are both empty", StringComparison.Ordinal));
    }

    private static async Task<int> RunHostAsync(StringWriter output, params string[] args)
    {
        using IHost host = Build(output, [.. args, "--Worker:ProgressEverySteps=16", "--Worker:RetryBaseDelayMilliseconds=20"]);
        WorkerExitState exit = host.Services.GetRequiredService<WorkerExitState>();
        await host.RunAsync().WaitAsync(TestTimeouts.Default);
        return exit.ExitCode;
    }

    private static IHost Build(StringWriter output, params string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton<ITrainingProgress>(new JsonLinesProgress(output, TimeProvider.System));
        builder.AddParamServerWorker();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder.Build();
    }

    private static JsonElement[] Lines(StringWriter output) => output.ToString()
        .Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement)
        .ToArray();
}
