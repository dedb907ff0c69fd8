using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Validation;

namespace ParamServer.Server.Jobs;

/// <summary>The jobs this shard serves, by job id. Thread-safe.</summary>
internal sealed class JobRegistry
{
    private readonly ConcurrentDictionary<string, ShardJob> _jobs = new(StringComparer.Ordinal);
    private readonly object _createLock = new();
    private readonly ShardOptions _options;
    private readonly IJobComponentFactory _components;
    private readonly TimeProvider _time;
    private readonly ILogger<ShardJob> _logger;

    public JobRegistry(
        IOptions<ShardOptions> options,
        IJobComponentFactory components,
        TimeProvider time,
        ILogger<ShardJob> logger)
    {
        _options = options.Value;
        _components = components;
        _time = time;
        _logger = logger;
        StartedTimestamp = time.GetTimestamp();
    }

    public int ShardIndex => _options.Index;

    public int ShardCount => _options.Count;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the registry was created, for uptime.</summary>
    public long StartedTimestamp { get; }

    public TimeProvider Time => _time;

    public ICollection<ShardJob> Jobs => _jobs.Values;

    /// <summary>
    /// Creates a job from <paramref name="spec"/>, or returns the existing one when its normalized spec is identical.
    /// </summary>
    /// <exception cref="RpcException">InvalidArgument for an invalid spec; AlreadyExists for a different spec under an
    /// existing job id.</exception>
    public JobCreation CreateJob(JobSpec spec)
    {
        JobSpec normalized = JobSpecValidator.Normalize(spec, _options.Count, _options.Index);
        lock (_createLock)
        {
            if (_jobs.TryGetValue(normalized.JobId, out ShardJob? existing))
            {
                if (!existing.Spec.Equals(normalized))
                {
                    JobLog.JobRejected(_logger, normalized.JobId, _options.Index, "a different spec already exists");
                    throw ShardErrors.AlreadyExists(
                        $"job_id '{normalized.JobId}' already exists on shard {_options.Index} with a different spec; " +
                        "use a new job id or repeat the identical spec.");
                }

                return new JobCreation(existing, Created: false);
            }

            ShardJob job;
            try
            {
                job = NewJob(normalized);
            }
            catch (ArgumentException error)
            {
                JobLog.JobRejected(_logger, normalized.JobId, _options.Index, error.Message);
                throw ShardErrors.InvalidArgument($"job: {error.Message}");
            }

            _jobs[job.JobId] = job;
            JobLog.JobCreated(_logger, job.JobId, _options.Index, job.Range.Start, job.Range.End, job.Mode.ToString());
            return new JobCreation(job, Created: true);
        }
    }

    /// <summary>Returns the job or throws NotFound.</summary>
    public ShardJob Get(string jobId) =>
        _jobs.TryGetValue(jobId ?? string.Empty, out ShardJob? job) ? job : throw ShardErrors.UnknownJob(jobId ?? string.Empty);

    public bool TryGet(string jobId, out ShardJob job) => _jobs.TryGetValue(jobId, out job!);

    /// <summary>
    /// Adds a job built elsewhere (a restored checkpoint), replacing any job with the same id; the replaced job's
    /// pending calls fail with Unavailable.
    /// </summary>
    public void Replace(ShardJob job)
    {
        lock (_createLock)
        {
            if (_jobs.TryGetValue(job.JobId, out ShardJob? old) && !ReferenceEquals(old, job))
            {
                old.Close(new Status(StatusCode.Unavailable, $"job '{job.JobId}' was replaced by a restored checkpoint."));
            }

            _jobs[job.JobId] = job;
        }
    }

    /// <summary>Builds a job for this shard from a spec without registering it, for restoring checkpoints.</summary>
    public ShardJob Build(JobSpec spec)
    {
        return NewJob(JobSpecValidator.Normalize(spec, _options.Count, _options.Index));
    }

    /// <summary>
    /// Builds a job from a captured state and puts it in place of any job with the same id; returns the new job.
    /// </summary>
    public ShardJob Restore(ShardJobState state)
    {
        ShardJob job = Build(state.Spec);
        job.RestoreState(state);
        Replace(job);
        return job;
    }

    /// <summary>Fails the pending calls of every job, so a stopping host does not wait for steps that never complete.</summary>
    public void CancelWaiters()
    {
        foreach (ShardJob job in _jobs.Values)
        {
            job.Close(new Status(StatusCode.Unavailable, $"shard {_options.Index} is shutting down; retry later."));
        }
    }

    private ShardJob NewJob(JobSpec normalized) => new(
        normalized,
        _options.Index,
        TimeSpan.FromSeconds(_options.HeartbeatTimeoutSeconds),
        _options.MaxWorkers,
        _components,
        _time,
        _logger);
}
