using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Membership;

public sealed class AssignmentTests
{
    [Fact]
    public async Task GetAssignment_MembershipChanges_NextEpochSplitAmongPresent()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("assign", 1, ConsistencyMode.Asynchronous));
        RegisterResponse a = await client.RegisterAsync("assign");
        RegisterResponse b = await client.RegisterAsync("assign");

        DataAssignment epoch0B = await AssignAsync(client, b, 0);
        RegisterResponse c = await client.RegisterAsync("assign");
        DataAssignment epoch0A = await AssignAsync(client, a, 0);
        DataAssignment epoch0C = await AssignAsync(client, c, 0);
        DataAssignment epoch1C = await AssignAsync(client, c, 1);
        DataAssignment epoch1A = await AssignAsync(client, a, 1);

        Assert.Equal((0, 2), (epoch0A.Rank, epoch0A.WorldSize));
        Assert.Equal((1, 2), (epoch0B.Rank, epoch0B.WorldSize));
        Assert.Equal((-1, 2), (epoch0C.Rank, epoch0C.WorldSize));
        Assert.Equal((0, 3), (epoch1A.Rank, epoch1A.WorldSize));
        Assert.Equal((2, 3), (epoch1C.Rank, epoch1C.WorldSize));
        Assert.Equal(1, c.Assignment.Epoch);
        Assert.Equal(2, c.Assignment.Rank);
    }

    [Fact]
    public async Task GetAssignment_WorkerLeftAfterFirstSplit_NextEpochDoesNotWait()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("assign", 1, ConsistencyMode.Asynchronous, minWorkers: 2));
        RegisterResponse a = await client.RegisterAsync("assign");
        RegisterResponse b = await client.RegisterAsync("assign");
        DataAssignment epoch0A = await AssignAsync(client, a, 0);

        await client.Shard.DeregisterAsync(
            new DeregisterRequest { JobId = "assign", WorkerId = b.WorkerId }, deadline: ShardClient.Deadline);
        DataAssignment epoch1A = await AssignAsync(client, a, 1);

        Assert.Equal((0, 2), (epoch0A.Rank, epoch0A.WorldSize));
        Assert.Equal((0, 1), (epoch1A.Rank, epoch1A.WorldSize));
    }

    [Fact]
    public async Task GetAssignment_NonCoordinator_FailsPrecondition()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync(o => { o.Index = 1; o.Count = 2; });
        using var client = new ShardClient(shard.Address);
        await client.CreateJobAsync(TestJobs.Flat("assign", 2, numShards: 2));
        await client.RegisterAsync("assign", workerId: 1);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.Shard.GetAssignmentAsync(
                new AssignmentRequest { JobId = "assign", WorkerId = 1, Epoch = 0 }, deadline: ShardClient.Deadline));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    private static async Task<DataAssignment> AssignAsync(ShardClient client, RegisterResponse worker, long epoch) =>
        await client.Shard.GetAssignmentAsync(
            new AssignmentRequest { JobId = "assign", WorkerId = worker.WorkerId, Epoch = epoch },
            deadline: ShardClient.Deadline);
}
