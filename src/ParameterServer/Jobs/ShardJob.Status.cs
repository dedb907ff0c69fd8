using ParamServer.Protocol.V1;
using ParamServer.Server.Membership;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Jobs;

internal sealed partial class ShardJob
{
    /// <summary>Overrides the scheduled learning rate, or clears the override when <paramref name="rate"/> is null.</summary>
    public double SetLearningRate(double? rate)
    {
        if (rate is { } value && (!double.IsFinite(value) || value < 0))
        {
            throw ShardErrors.InvalidArgument($"learning_rate is {value}; expected a finite value of 0 or more.");
        }

        lock (_sync)
        {
            _learningRateOverride = rate;
            JobLog.LearningRateSet(_logger, JobId, ShardIndex, rate ?? double.NaN, _version);

            // The current snapshot carries the old rate in its header; the next reader gets a fresh one.
            _snapshot?.Release();
            _snapshot = null;
            return CurrentLearningRateLocked();
        }
    }

    /// <summary>Records an evaluator's validation result and feeds the loss to the schedule (reduce-on-plateau).</summary>
    public EvaluationAck ReportEvaluation(EvaluationReport report)
    {
        if (!double.IsFinite(report.ValidationLoss))
        {
            throw ShardErrors.InvalidArgument(
                $"validation_loss is {report.ValidationLoss}; expected a finite value.");
        }

        lock (_sync)
        {
            ThrowIfClosedLocked();
            if (report.WorkerId != 0 && _workers.TryGetValue(report.WorkerId, out WorkerMember? worker))
            {
                worker.LastSeenTimestamp = _time.GetTimestamp();
            }

            _lastEvaluation = new EvaluationRecord(report.Version, report.ValidationLoss, report.Accuracy, report.Samples);
            Schedules.PlateauOutcome outcome = _schedule.ReportValidationLoss(_version, report.ValidationLoss);
            if (outcome.Reduced)
            {
                JobLog.PlateauReduced(_logger, JobId, ShardIndex, CurrentLearningRateLocked(), _version);
                _snapshot?.Release();
                _snapshot = null;
            }

            return new EvaluationAck
            {
                LearningRate = CurrentLearningRateLocked(),
                LearningRateReduced = outcome.Reduced,
                PlateauBadReports = outcome.BadReports,
            };
        }
    }

    /// <summary>Returns the job's status as of now.</summary>
    public JobStatus GetStatus()
    {
        lock (_sync)
        {
            long now = _time.GetTimestamp();
            var status = new JobStatus
            {
                JobId = JobId,
                RangeStart = Range.Start,
                RangeLength = Range.Length,
                TotalParameters = Layout.TotalElements,
                Version = _version,
                LearningRate = CurrentLearningRateLocked(),
                LearningRateOverridden = _learningRateOverride.HasValue,
                Optimizer = Spec.Optimizer,
                Schedule = Spec.Schedule,
                Consistency = Spec.Consistency,
                PushesApplied = Counters.Applied,
                PushesMerged = Counters.Merged,
                PushesDeduplicated = Counters.Deduplicated,
                PushesRejectedStale = Counters.RejectedStale,
                BytesIn = Counters.BytesIn,
                BytesOut = Counters.BytesOut,
                Evictions = Counters.Evictions,
                StepsPerSecond = StepsPerSecondLocked(now),
                LastTrainingLoss = _lastTrainingLoss,
            };

            foreach ((string reason, long count) in Counters.Rejected)
            {
                status.PushesRejected[reason] = count;
            }

            WorkerMember? slowest = null;
            foreach (WorkerMember worker in _workers.Values.OrderBy(worker => worker.Id))
            {
                status.Workers.Add(new WorkerStatus
                {
                    WorkerId = worker.Id,
                    Name = worker.Name,
                    LastStep = worker.LastStep,
                    SecondsSinceHeartbeat = _time.GetElapsedTime(worker.LastSeenTimestamp, now).TotalSeconds,
                    Staleness = worker.LastStaleness,
                    Evaluator = worker.Evaluator,
                    LastTrainingLoss = worker.LastTrainingLoss,
                });
                if (!worker.Evaluator && (slowest is null || worker.NextStep < slowest.NextStep))
                {
                    slowest = worker;
                }
            }

            if (slowest is not null)
            {
                status.SlowestWorkerId = slowest.Id;
                status.SlowestWorkerStep = slowest.NextStep - 1;
            }

            status.RecentEvents.AddRange(_recentEvents);
            if (_lastEvaluation is { } evaluation)
            {
                status.HasEvaluation = true;
                status.LastValidationLoss = evaluation.Loss;
                status.LastValidationAccuracy = evaluation.Accuracy;
                status.LastEvaluationVersion = evaluation.Version;
            }

            return status;
        }
    }

    private double StepsPerSecondLocked(long now)
    {
        if (_versionTimestamps.Count < 2)
        {
            return 0;
        }

        TimeSpan span = _time.GetElapsedTime(_versionTimestamps.Peek(), now);
        return span > TimeSpan.Zero ? (_versionTimestamps.Count - 1) / span.TotalSeconds : 0;
    }
}
