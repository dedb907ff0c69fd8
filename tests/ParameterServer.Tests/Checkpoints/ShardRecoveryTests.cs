using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ParamServer.Checkpoints;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Checkpoints;

/// <summary>Checkpoint, restart and restore of real shards over gRPC.</summary>
public sealed class ShardRecoveryTests : IDisposable
{
    private const string JobId = "resume";
    private const int Steps = 24;
    private const int CheckpointStep = 9;

    private readonly TemporaryDirectory _directory = new();
    private readonly RecordingLoggerProvider _logs = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Restart_AdamCosine_MatchesUninterruptedRun()
    {
        JobSpec job = AdamCosineJob();
        List<StepRecord> reference;
        await using (RunningShard shard = await StartAsync(checkpoints: null))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(job);
            var worker = await TestWorker.RegisterAsync(client, JobId);
            reference = await worker.RunAsync(0, Steps);
        }

        List<StepRecord> resumed;
        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(job);
            var worker = await TestWorker.RegisterAsync(client, JobId);
            await worker.RunAsync(0, CheckpointStep);
            CheckpointResponse written = await client.Operator.CheckpointAsync(
                new CheckpointRequest { JobId = JobId }, deadline: ShardClient.Deadline);
            Assert.Equal(CheckpointStep, written.Version);
        }

        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            JobStatus status = await client.StatusAsync(JobId);
            Assert.Equal(CheckpointStep, status.Version);
            Assert.True(status.Checkpoint.Restored);
            Assert.Equal(CheckpointStep, status.Checkpoint.RestoredVersion);
            Assert.Equal(CheckpointStep, status.Checkpoint.LastVersion);
            var worker = await TestWorker.ResumeAsync(client, JobId, workerId: 1);
            Assert.Equal(CheckpointStep, worker.NextStep);
            resumed = await worker.RunAsync(CheckpointStep, Steps);
        }

        for (int step = CheckpointStep; step < Steps; step++)
        {
            StepRecord expected = reference[step];
            StepRecord actual = resumed[step - CheckpointStep];
            Assert.Equal(expected.LearningRate, actual.LearningRate);
            Assert.Equal(expected.Version, actual.Version);
            Assert.Equal(expected.Weights, actual.Weights);
        }
    }

    [Fact]
    public async Task Restart_RetriedPush_AppliedOnce()
    {
        JobSpec job = AdamCosineJob();
        PushReply original;
        float[] gradient = [.. Enumerable.Range(0, 23).Select(i => 0.01f * i)];
        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(job);
            RegisterResponse registration = await client.RegisterAsync(JobId, name: "w");
            original = await client.PushPullAsync(TestJobs.Header(registration, 0, 0), gradient);
            Assert.Equal(PushOutcome.Merged, original.Result.Outcome);
        }

        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            RegisterResponse registration = await client.RegisterAsync(JobId, workerId: 1, name: "w");
            Assert.Equal(1, registration.NextStep);

            PushReply retried = await client.PushPullAsync(TestJobs.Header(registration, 0, 0), gradient);

            Assert.Equal(PushOutcome.Deduplicated, retried.Result.Outcome);
            Assert.Equal(original.Result.Version, retried.Result.Version);
            Assert.Equal(original.Result.LearningRate, retried.Result.LearningRate);
            JobStatus status = await client.StatusAsync(JobId);
            Assert.Equal(1, status.Version);
            Assert.Equal(1, status.PushesDeduplicated);
            WeightsReply weights = await client.PullAsync(JobId);
            Assert.Equal(original.Weights, weights.Values);
        }
    }

    [Fact]
    public async Task Restart_CorruptNewest_RestoresPrevious()
    {
        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(AdamCosineJob());
            var worker = await TestWorker.RegisterAsync(client, JobId);
            await worker.RunAsync(0, 2);
            await client.Operator.CheckpointAsync(new CheckpointRequest { JobId = JobId }, deadline: ShardClient.Deadline);
            await worker.RunAsync(2, 4);
        }

        // The graceful stop wrote version 4; damage it so the shard must fall back to version 2.
        string shardDirectory = CheckpointPaths.ShardDirectory(_directory.Path, JobId, 0, 1);
        string newest = Path.Combine(shardDirectory, CheckpointPaths.FileName(4));
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);

        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            JobStatus status = await client.StatusAsync(JobId);

            Assert.Equal(2, status.Version);
            Assert.Equal(2, status.Checkpoint.RestoredVersion);
            RecordingLoggerProvider.LogEntry rejected = Assert.Single(_logs.WithEventId(3002));
            Assert.Equal(LogLevel.Error, rejected.Level);
            Assert.Contains("ChecksumMismatch", rejected.Message);
        }
    }

    [Fact]
    public async Task Restart_OlderSynchronousShard_AdoptsPushedStep()
    {
        string olderCopy = Path.Combine(_directory.Path, "older");
        await using (RunningShard shard = await StartAsync(Path.Combine(_directory.Path, "live")))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(AdamCosineJob());
            var worker = await TestWorker.RegisterAsync(client, JobId);
            await worker.RunAsync(0, 3);
            CheckpointResponse written = await client.Operator.CheckpointAsync(
                new CheckpointRequest { JobId = JobId }, deadline: ShardClient.Deadline);
            CopyDirectory(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(written.Path)))!, olderCopy);
            await worker.RunAsync(3, 7);
        }

        // The shard comes back from the version-3 checkpoint while the worker is at step 7.
        await using (RunningShard shard = await StartAsync(olderCopy))
        {
            using var client = new ShardClient(shard.Address);
            Assert.Equal(3, (await client.StatusAsync(JobId)).Version);
            RegisterResponse registration = await client.RegisterAsync(JobId, workerId: 1);
            float[] gradient = new float[23];

            PushReply reply = await client.PushPullAsync(TestJobs.Header(registration, 7, 7), gradient);

            Assert.Equal(PushOutcome.Merged, reply.Result.Outcome);
            Assert.Equal(8, reply.Result.Version);
            Assert.Equal(8, (await client.StatusAsync(JobId)).Version);
            Assert.Single(_logs.WithEventId(3014));
        }
    }

    [Fact]
    public async Task Restart_OlderShardPendingStep_AnswersSkippedPush()
    {
        string olderCopy = Path.Combine(_directory.Path, "older");
        JobSpec job = AdamCosineJob();
        job.Consistency.MinWorkers = 1;
        await using (RunningShard shard = await StartAsync(Path.Combine(_directory.Path, "live")))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(job);
            RegisterResponse first = await client.RegisterAsync(JobId, name: "a");
            RegisterResponse second = await client.RegisterAsync(JobId, name: "b");
            float[] zero = new float[23];
            await Task.WhenAll(
                client.PushPullAsync(TestJobs.Header(first, 0, 0), zero),
                client.PushPullAsync(TestJobs.Header(second, 0, 0), zero)).WaitAsync(TestTimeouts.Default);
            CheckpointResponse written = await client.Operator.CheckpointAsync(
                new CheckpointRequest { JobId = JobId }, deadline: ShardClient.Deadline);
            CopyDirectory(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(written.Path)))!, olderCopy);
        }

        await using (RunningShard shard = await StartAsync(olderCopy))
        {
            using var client = new ShardClient(shard.Address);
            RegisterResponse a = await client.RegisterAsync(JobId, workerId: 1, name: "a");
            RegisterResponse b = await client.RegisterAsync(JobId, workerId: 2, name: "b");
            float[] zero = new float[23];

            // Worker b is behind and pushes the restored step; worker a pushes the cluster's step 5.
            Task<PushReply> behind = client.PushPullAsync(TestJobs.Header(b, 1, 1), zero);
            await WaitForPendingAsync(shard, 1);
            Task<PushReply> ahead = client.PushPullAsync(TestJobs.Header(a, 5, 5), zero);

            PushReply skipped = await behind.WaitAsync(TestTimeouts.Default);
            Assert.Equal(PushOutcome.Deduplicated, skipped.Result.Outcome);
            Assert.Equal(5, skipped.Result.Version);
            Assert.Equal(5, skipped.Header!.Version);
            PushReply late = await client.PushPullAsync(TestJobs.Header(b, 3, 3), zero);
            Assert.Equal(PushOutcome.Deduplicated, late.Result.Outcome);
            Assert.Equal(5, late.Result.Version);
            PushReply caughtUp = await client.PushPullAsync(TestJobs.Header(b, 5, 5), zero);
            PushReply applied = await ahead.WaitAsync(TestTimeouts.Default);
            Assert.Equal(PushOutcome.Merged, caughtUp.Result.Outcome);
            Assert.Equal(6, caughtUp.Result.Version);
            Assert.Equal(6, applied.Result.Version);
            Assert.Equal(2, applied.Result.Contributors);
        }
    }

    [Fact]
    public async Task Restart_OlderAsyncShard_FailsPrecondition()
    {
        JobSpec job = AdamCosineJob();
        job.Consistency.Mode = ConsistencyMode.Asynchronous;
        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            await client.CreateJobAsync(job);
            RegisterResponse registration = await client.RegisterAsync(JobId, name: "w");
            await client.PushPullAsync(TestJobs.Header(registration, 0, 0), new float[23]);
        }

        await using (RunningShard shard = await StartAsync(_directory.Path))
        {
            using var client = new ShardClient(shard.Address);
            RegisterResponse registration = await client.RegisterAsync(JobId, workerId: 1, name: "w");

            var error = await Assert.ThrowsAsync<RpcException>(
                () => client.PushPullAsync(TestJobs.Header(registration, 1, 9), new float[23]));

            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("restarted from a checkpoint", error.Status.Detail);
        }
    }

    [Fact]
    public async Task Restart_WithJobFile_RestoresInsteadOfRecreating()
    {
        string jobFile = Path.Combine(_directory.Path, "job.json");
        File.WriteAllText(jobFile, Google.Protobuf.JsonFormatter.Default.Format(AdamCosineJob()));
        string checkpoints = Path.Combine(_directory.Path, "checkpoints");
        await using (RunningShard shard = await StartAsync(checkpoints, jobFile))
        {
            using var client = new ShardClient(shard.Address);
            var worker = await TestWorker.RegisterAsync(client, JobId);
            await worker.RunAsync(0, 3);
        }

        await using (RunningShard shard = await StartAsync(checkpoints, jobFile))
        {
            using var client = new ShardClient(shard.Address);
            JobStatus status = await client.StatusAsync(JobId);

            Assert.Equal(3, status.Version);
            Assert.True(status.Checkpoint.Restored);
            Assert.Equal(0, status.Checkpoint.Written);
        }
    }

    private Task<RunningShard> StartAsync(string? checkpoints, string? jobFile = null) => ShardTestHost.StartAsync(
        options =>
        {
            options.CheckpointDirectory = checkpoints;
            options.JobFile = jobFile;
        },
        configureBuilder: builder =>
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IJobComponentFactory, FactoryComponents>());
            builder.Logging.AddProvider(_logs);
            builder.Logging.SetMinimumLevel(LogLevel.Information);
        });

    private static JobSpec AdamCosineJob()
    {
        JobSpec job = CheckpointSamples.Job(JobId, shards: 1);
        job.Optimizer = new OptimizerSpec { Kind = OptimizerKind.Adam, Beta1 = 0.7, Beta2 = 0.9, Epsilon = 1e-6 };
        job.Schedule = new ScheduleSpec
        {
            Kind = ScheduleKind.Cosine, BaseLearningRate = 0.05, DecaySteps = 20, EndLearningRate = 0.002,
            WarmupSteps = 3, WarmupStartFactor = 0.2,
        };
        job.Consistency = new ConsistencySpec { Mode = ConsistencyMode.Synchronous, MinWorkers = 1 };
        return job;
    }

    private static async Task WaitForPendingAsync(RunningShard shard, int workers)
    {
        ShardJob job = shard.Services.GetRequiredService<JobRegistry>().Get(JobId);
        while (true)
        {
            Task changed = job.WhenChanged();
            if (job.GetStatus().Workers.Count(w => w.LastStep >= 1) >= workers)
            {
                return;
            }

            await changed.WaitAsync(TestTimeouts.Default);
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    internal sealed record StepRecord(long Version, double LearningRate, float[] Weights);

    /// <summary>A worker whose gradient is a fixed function of the weights it was given and the step.</summary>
    private sealed class TestWorker
    {
        private readonly ShardClient _client;
        private RegisterResponse _registration;
        private float[] _weights;

        private TestWorker(ShardClient client, RegisterResponse registration, float[] weights)
        {
            _client = client;
            _registration = registration;
            _weights = weights;
        }

        public long NextStep => _registration.NextStep;

        public static async Task<TestWorker> RegisterAsync(ShardClient client, string jobId)
        {
            RegisterResponse registration = await client.RegisterAsync(jobId, name: "worker");
            WeightsReply weights = await client.PullAsync(jobId);
            return new TestWorker(client, registration, weights.Values);
        }

        public static async Task<TestWorker> ResumeAsync(ShardClient client, string jobId, uint workerId)
        {
            RegisterResponse registration = await client.RegisterAsync(jobId, workerId, name: "worker");
            WeightsReply weights = await client.PullAsync(jobId);
            Assert.Equal(registration.Version, weights.Header.Version);
            return new TestWorker(client, registration, weights.Values);
        }

        public async Task<List<StepRecord>> RunAsync(long from, long to)
        {
            var records = new List<StepRecord>();
            for (long step = from; step < to; step++)
            {
                float[] gradient = new float[_weights.Length];
                for (int i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = _weights[i] - (0.3f * MathF.Cos(step + i));
                }

                PushReply reply = await _client.PushPullAsync(TestJobs.Header(_registration, step, step), gradient);
                Assert.Equal(PushOutcome.Merged, reply.Result.Outcome);
                _weights = reply.Weights!;
                records.Add(new StepRecord(reply.Result.Version, reply.Result.LearningRate, _weights));
            }

            return records;
        }
    }
}
