using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Client;
using ParamServer.Worker.Data;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>
/// Opens the data set a job names: "mnist" from the IDX files in Worker:DataDir (standardized when the job requests it),
/// "synthetic" from the job's synthetic spec.
/// </summary>
public sealed class DataSourceFactory : IDataSourceFactory
{
    private readonly WorkerOptions _options;

    public DataSourceFactory(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
    }

    public IDataSource Create(TrainingSpec training)
    {
        ArgumentNullException.ThrowIfNull(training);
        switch (training.Dataset)
        {
            case "mnist":
                return MnistDataSource.Load(_options.DataDir, training.Standardize);
            case "synthetic":
                SyntheticDataSpec spec = training.Synthetic ?? throw new JobRejectedException(
                    "training.dataset is 'synthetic' but training.synthetic is missing; expected features, classes, " +
                    "train_samples, test_samples and seed.");
                if (spec.TrainSamples is < 1 or > int.MaxValue || spec.TestSamples is < 0 or > int.MaxValue)
                {
                    throw new JobRejectedException(
                        $"training.synthetic has train_samples {spec.TrainSamples} and test_samples " +
                            $"{spec.TestSamples}; " +
                        $"expected 1 to {int.MaxValue} and 0 to {int.MaxValue}.");
                }

                try
                {
                    return new SyntheticDataSource(
                        spec.Features, spec.Classes, (int)spec.TrainSamples, (int)spec.TestSamples, spec.Seed);
                }
                catch (ArgumentException e)
                {
                    throw new JobRejectedException($"training.synthetic is invalid: {e.Message}");
                }

            default:
                throw new JobRejectedException(
                    $"training.dataset is '{training.Dataset}'; expected 'mnist' or 'synthetic'.");
        }
    }
}
