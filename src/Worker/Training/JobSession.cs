using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Data;

namespace ParamServer.Worker.Training;

/// <summary>
/// What a worker sets up once it joined a job: the job's training spec, the data set, the gradient engine and
/// the flat weights vector holding every shard's current slice.
/// </summary>
internal sealed class JobSession : IDisposable
{
    private JobSession(
        ShardGroup group,
        TrainingSpec training,
        int[] layerSizes,
        IDataSource data,
        IGradientEngine engine,
        float[] weights)
    {
        Group = group;
        Training = training;
        LayerSizes = layerSizes;
        Data = data;
        Engine = engine;
        Weights = weights;
        Mode = group.Job.Consistency?.Mode ?? ConsistencyMode.Unspecified;
        if (Mode == ConsistencyMode.Unspecified)
        {
            Mode = ConsistencyMode.Synchronous;
        }
    }

    public ShardGroup Group { get; }

    public JobSpec Job => Group.Job;

    public TrainingSpec Training { get; }

    public int[] LayerSizes { get; }

    public IDataSource Data { get; }

    public IGradientEngine Engine { get; }

    /// <summary>The full flat weights vector; each shard's replies land in its range.</summary>
    public float[] Weights { get; }

    public ConsistencyMode Mode { get; }

    /// <summary>Epochs to train; a spec of 0 trains one.</summary>
    public int Epochs => Math.Max(1, Training.Epochs);

    public static string ModeName(ConsistencyMode mode) => mode switch
    {
        ConsistencyMode.Asynchronous => "asynchronous",
        ConsistencyMode.BoundedStaleness => "bounded_staleness",
        _ => "synchronous",
    };

    /// <summary>
    /// Registers with every shard, checks that the job is an MLP that matches the data set, creates the engine and
    /// pulls the current weights.
    /// </summary>
    /// <exception cref="JobRejectedException">The job's spec cannot be trained by this worker.</exception>
    public static async Task<JobSession> OpenAsync(
        ShardGroup group,
        IDataSourceFactory dataFactory,
        IGradientEngineFactory engineFactory,
        TrainingSettings settings,
        CancellationToken cancellationToken)
    {
        await group.JoinAsync(cancellationToken).ConfigureAwait(false);
        JobSpec job = group.Job;
        TrainingSpec training = job.Training ?? throw new JobRejectedException(
            $"Job '{job.JobId}' has no training spec; a worker needs its dataset and batch_size.");
        if (training.BatchSize < 1)
        {
            throw new JobRejectedException(
                $"Job '{job.JobId}' has training.batch_size {training.BatchSize}; expected at least 1.");
        }

        int[] layerSizes;
        try
        {
            layerSizes = MlpModel.LayerSizesOf(job.Model);
        }
        catch (ArgumentException e)
        {
            throw new JobRejectedException($"Job '{job.JobId}' is not a multilayer perceptron: {e.Message}");
        }

        if (training.LayerSizes.Count > 0 && !training.LayerSizes.SequenceEqual(layerSizes))
        {
            throw new JobRejectedException(
                $"Job '{job.JobId}' has training.layer_sizes " +
                    $"[{string.Join(", ", training.LayerSizes)}] but its model " +
                $"has layers [{string.Join(", ", layerSizes)}].");
        }

        IDataSource data = dataFactory.Create(training);
        if (data.Features != layerSizes[0] || data.Classes != layerSizes[^1])
        {
            throw new JobRejectedException(
                $"Data set '{data.Name}' has {data.Features} features and {data.Classes} classes; the model of job " +
                $"'{job.JobId}' expects {layerSizes[0]} inputs and {layerSizes[^1]} outputs.");
        }

        IGradientEngine engine = engineFactory.Create(job.Model, Math.Max(training.BatchSize, settings.EvaluationBatchSize));
        try
        {
            if (engine.ParameterCount != group.Layout.TotalElements)
            {
                throw new InvalidOperationException(
                    $"The gradient engine has {engine.ParameterCount} parameters; job '{job.JobId}' has " +
                    $"{group.Layout.TotalElements}.");
            }

            var weights = new float[group.Layout.TotalElements];
            await group.PullAllAsync(weights, cancellationToken).ConfigureAwait(false);
            engine.SetWeights(weights);
            return new JobSession(group, training, layerSizes, data, engine, weights);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Evaluates the weights the engine holds on the whole test set, <paramref name="batchSize"/> samples per
    /// engine call; 0 passes the whole set in one call and leaves the chunking to the engine.
    /// </summary>
    public BatchStats EvaluateTestSet(int batchSize)
    {
        Dataset test = Data.Test;
        if (test.Count == 0)
        {
            return new BatchStats(double.NaN, 0, 0);
        }

        int chunk = batchSize > 0 ? batchSize : test.Count;
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < test.Count; start += chunk)
        {
            int count = Math.Min(chunk, test.Count - start);
            BatchStats stats = Engine.Evaluate(
                test.Inputs.AsSpan(start * test.Features, count * test.Features),
                test.Labels.AsSpan(start, count),
                count);
            lossSum += stats.Loss * stats.Count;
            correct += stats.Correct;
        }

        return new BatchStats(lossSum / test.Count, correct, test.Count);
    }

    public void Dispose() => Engine.Dispose();
}
