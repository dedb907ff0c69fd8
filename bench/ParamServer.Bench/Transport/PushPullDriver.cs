using ParamServer.Protocol.V1;
using ParamServer.Sharding;
using ParamServer.Worker.Client;

namespace ParamServer.Bench.Transport;

/// <summary>
/// One registered worker that pushes a constant gradient to every shard of a job in parallel and takes the fresh
/// weights back, step after step, through the worker's own <see cref="ShardClient"/> (the trainer's code path
/// without the gradient computation).
/// </summary>
internal sealed class PushPullDriver : IDisposable
{
    private readonly ShardGroup _group;
    private readonly PooledFloatBuffer _gradient;
    private readonly float[] _weights;

    private PushPullDriver(ShardGroup group)
    {
        _group = group;
        long elements = group.Layout.TotalElements;
        _gradient = new PooledFloatBuffer(checked((int)elements));
        _gradient.Span.Fill(1e-6f);
        _weights = new float[elements];
    }

    /// <summary>Payload bytes of one step in each direction: the whole model as float32.</summary>
    public long BytesPerDirection => _weights.LongLength * sizeof(float);

    /// <summary>Registers a worker with every shard of <paramref name="jobId"/>.</summary>
    public static async Task<PushPullDriver> JoinAsync(
        LoopbackShards shards,
        string jobId,
        ShardClientOptions options,
        CancellationToken cancellationToken)
    {
        ShardGroup group = shards.NewGroup(jobId, "bench-driver", options);
        try
        {
            await group.JoinAsync(cancellationToken).ConfigureAwait(false);
            return new PushPullDriver(group);
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>Pushes one step to every shard in parallel and waits for every shard's fresh weights.</summary>
    public async Task StepAsync(CancellationToken cancellationToken)
    {
        var pushes = new Task[_group.Count];
        for (int s = 0; s < pushes.Length; s++)
        {
            pushes[s] = PushShardAsync(s, cancellationToken);
        }

        await Task.WhenAll(pushes).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _gradient.Dispose();
        _group.Dispose();
    }

    private async Task PushShardAsync(int shard, CancellationToken cancellationToken)
    {
        ShardRange range = _group.Ranges[shard];
        long step = _group.NextStep(shard);
        var header = new PushHeader
        {
            JobId = _group.JobId,
            WorkerId = _group.WorkerId,
            WorkerStep = step,
            BaseVersion = _group.Version(shard),
            ShardIndex = shard,
            RangeStart = range.Start,
            Length = range.Length,
            TrainingLoss = 0,
            BatchSize = 1,
            ReturnWeights = true,
        };
        PushReply reply = await _group.Shards[shard].PushPullAsync(
                header,
                _gradient.BytesOf(range.Start, range.Length),
                range,
                _weights.AsMemory((int)range.Start, (int)range.Length),
                cancellationToken)
            .ConfigureAwait(false);
        long version = reply.Weights?.Version ?? reply.Result.Version;
        _group.SetVersion(shard, version);
        _group.SetNextStep(shard, Math.Max(step + 1, version));
    }
}
