using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Sharding;
using ParamServer.Worker.Client;

namespace ParamServer.Worker.Training;

/// <summary>The push of one step to every shard, and the recovery from shards that forgot the worker.</summary>
public sealed partial class TrainingLoop
{
    /// <summary>
    /// Pushes this step's gradient to every shard in parallel. A shard that forgot the worker gets it again after
    /// re-registration; the shards that accepted it are not pushed twice.
    /// </summary>
    private async Task PushStepAsync(
        JobSession session,
        PooledFloatBuffer gradient,
        BatchStats stats,
        CancellationToken cancellationToken)
    {
        IEnumerable<int> pending = Enumerable.Range(0, _group.Count);
        for (int attempt = 0; ; attempt++)
        {
            (int Shard, RpcException? Lost)[] results = await Task.WhenAll(
                pending.Select(s => PushShardAsync(session, s, gradient, stats, cancellationToken))).ConfigureAwait(false);
            int[] lost = results.Where(r => r.Lost is not null).Select(r => r.Shard).Order().ToArray();
            if (lost.Length == 0)
            {
                return;
            }

            // An invalid push after a resynchronization is a bug, not a shard that moved on without the worker.
            bool invalidAgain = attempt > 0 && results.Any(r => r.Lost?.StatusCode == StatusCode.InvalidArgument);
            if (attempt >= _settings.MaxRejoinsPerStep || invalidAgain)
            {
                RpcException last = results.First(r => r.Lost is not null).Lost!;
                throw new JobRejectedException(
                    $"Shard {lost[0]} kept rejecting worker {_group.WorkerId} in job '{_group.JobId}' after " +
                    $"{attempt} registrations within one step: {last.StatusCode}: {last.Status.Detail}",
                    last);
            }

            foreach (int shard in lost)
            {
                await _group.RejoinAsync(shard, cancellationToken).ConfigureAwait(false);
                await _group.PullAsync(shard, session.Weights, 0, cancellationToken).ConfigureAwait(false);
                if (session.Mode == ConsistencyMode.Synchronous)
                {
                    _group.SetNextStep(shard, Math.Max(_group.NextStep(shard), _group.Version(shard)));
                }

                TrainingLog.Rejoined(
                    _logger, _group.WorkerId, shard, _group.JobId, _group.NextStep(shard), _group.Version(shard));
                _progress.Rejoined(new ShardRejoined(
                    _group.JobId, _group.WorkerId, shard, _group.NextStep(shard), _group.Version(shard)));
            }

            pending = lost;
        }
    }

    private async Task<(int Shard, RpcException? Lost)> PushShardAsync(
        JobSession session,
        int shard,
        PooledFloatBuffer gradient,
        BatchStats stats,
        CancellationToken cancellationToken)
    {
        ShardRange range = _group.Ranges[shard];
        long step = _group.NextStep(shard);
        bool boundedStaleness = session.Mode == ConsistencyMode.BoundedStaleness;
        bool empty = stats.Count == 0;
        var header = new PushHeader
        {
            JobId = _group.JobId,
            WorkerId = _group.WorkerId,
            WorkerStep = step,
            BaseVersion = _group.Version(shard),
            ShardIndex = shard,
            RangeStart = range.Start,
            Length = empty ? 0 : range.Length,
            TrainingLoss = stats.Loss,
            BatchSize = stats.Count,
            ReturnWeights = !boundedStaleness,
        };
        Memory<float> slice = session.Weights.AsMemory((int)range.Start, (int)range.Length);
        ReadOnlyMemory<byte> payload = empty ? ReadOnlyMemory<byte>.Empty : gradient.BytesOf(range.Start, range.Length);
        PushReply reply;
        try
        {
            reply = await _group.Shards[shard]
                .PushPullAsync(header, payload, range, slice, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RpcException e) when (TransientFaults.IsMembershipLost(e))
        {
            ClientLog.MembershipLost(_logger, shard, _group.WorkerId, _group.JobId, step, e.StatusCode, e);
            return (shard, e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            // A shard restored from an older checkpoint rejects a base_version above its own version. Registering
            // again and pulling its weights brings the worker back in line with it.
            TrainingLog.PushInvalid(_logger, shard, step, _group.WorkerId, _group.JobId, e.Status.Detail);
            return (shard, e);
        }

        Count(reply.Result, step, shard);
        _group.SetNextStep(shard, step + 1);
        if (reply.Weights is not null)
        {
            _group.SetVersion(shard, reply.Weights.Version);
            if (session.Mode == ConsistencyMode.Synchronous)
            {
                // Step k of a synchronous job is computed on version k.
                _group.SetNextStep(shard, Math.Max(step + 1, reply.Weights.Version));
            }
        }
        else
        {
            try
            {
                await _group.PullAsync(shard, session.Weights, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (TransientFaults.IsMembershipLost(e))
            {
                ClientLog.MembershipLost(_logger, shard, _group.WorkerId, _group.JobId, step + 1, e.StatusCode, e);
            }
        }

        return (shard, null);
    }

    private void Count(PushResult result, long step, int shard)
    {
        TrainingLog.Pushed(
            _logger,
            _group.WorkerId,
            _group.JobId,
            step,
            shard,
            result.Outcome,
            result.Version,
            result.Staleness,
            result.LearningRate);
        switch (result.Outcome)
        {
            case PushOutcome.Applied:
                Interlocked.Increment(ref _applied);
                break;
            case PushOutcome.Merged:
                Interlocked.Increment(ref _merged);
                break;
            case PushOutcome.Deduplicated:
                Interlocked.Increment(ref _deduplicated);
                break;
            case PushOutcome.RejectedStale:
                Interlocked.Increment(ref _rejectedStale);
                TrainingLog.RejectedStale(_logger, _group.WorkerId, _group.JobId, step, shard, result.Staleness);
                break;
        }
    }
}
