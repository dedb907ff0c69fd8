using ParamServer.Protocol.V1;
using ParamServer.Worker.Data;
using ParamServer.Worker.Training;

namespace ParamServer.Bench.Distribution;

/// <summary>Hands every trainer of a run the same loaded data set, so loading MNIST is not timed.</summary>
internal sealed class PreloadedDataFactory(IDataSource data) : IDataSourceFactory
{
    public IDataSource Create(TrainingSpec training) => data;
}
