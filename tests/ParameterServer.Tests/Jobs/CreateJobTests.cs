using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Jobs;

public sealed class CreateJobTests
{
    [Fact]
    public async Task CreateJob_SameSpecTwice_SecondIsNoOp()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        JobSpec spec = TestJobs.Flat("same", 10);

        CreateJobResponse first = await client.CreateJobAsync(spec);
        JobSpec withDefaults = spec.Clone();
        withDefaults.NumShards = 0;
        CreateJobResponse second = await client.CreateJobAsync(withDefaults);
        JobSpec fetched = await client.Shard.GetJobAsync(new GetJobRequest { JobId = "same" }, deadline: ShardClient.Deadline);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Job, second.Job);
        Assert.Equal(first.Job, fetched);
        Assert.Equal(1, fetched.NumShards);
    }

    [Fact]
    public async Task CreateJob_DifferentSpecSameId_AlreadyExists()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("taken", 10));

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CreateJobAsync(TestJobs.Flat("taken", 11)));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("job_id 'taken' already exists", error.Status.Detail);
    }

    public static TheoryData<string, string> InvalidSpecs() => new()
    {
        { "num_shards", "job.num_shards is 3; this shard runs with Shard:Count = 1" },
        { "job_id", "job.job_id is 'bad id'" },
        { "empty_model", "model.tensors is empty" },
        { "negative_dim", "shape[0] of 'w' is -4" },
        { "staleness", "job.consistency.staleness_bound is -1" },
        { "staleness_sync", "job.consistency.staleness_bound is 3 but the mode is Synchronous" },
        { "batch_size", "job.training.batch_size is -2; expected 0 or more." },
        { "layer_sizes", "job.training.layer_sizes[1] is 0; expected a positive size." },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task CreateJob_InvalidSpec_InvalidArgument(string kind, string expected)
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        JobSpec spec = TestJobs.Flat("job", 8);
        switch (kind)
        {
            case "num_shards":
                spec.NumShards = 3;
                break;
            case "job_id":
                spec.JobId = "bad id";
                break;
            case "empty_model":
                spec.Model.Tensors.Clear();
                break;
            case "negative_dim":
                spec.Model.Tensors[0].Shape[0] = -4;
                break;
            case "staleness":
                spec.Consistency.StalenessBound = -1;
                break;
            case "staleness_sync":
                spec.Consistency.StalenessBound = 3;
                break;
            case "batch_size":
                spec.Training = new TrainingSpec { BatchSize = -2 };
                break;
            case "layer_sizes":
                spec.Training = new TrainingSpec { LayerSizes = { 8, 0 } };
                break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CreateJobAsync(spec));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
    }

    [Fact]
    public async Task GetJob_UnknownJob_NotFound()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.Shard.GetJobAsync(new GetJobRequest { JobId = "missing" }, deadline: ShardClient.Deadline));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("job_id 'missing'", error.Status.Detail);
    }
}
