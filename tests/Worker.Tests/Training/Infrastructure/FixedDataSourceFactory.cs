using ParamServer.Protocol.V1;
using ParamServer.Worker.Data;
using ParamServer.Worker.Training;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>Hands a fixed data source to the loop.</summary>
internal sealed class FixedDataSourceFactory(IDataSource source) : IDataSourceFactory
{
    public IDataSource Create(TrainingSpec training) => source;
}
