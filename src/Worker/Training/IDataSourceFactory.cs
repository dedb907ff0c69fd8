using ParamServer.Protocol.V1;
using ParamServer.Worker.Data;

namespace ParamServer.Worker.Training;

/// <summary>Opens the data set a job's training spec names ("mnist" or "synthetic").</summary>
public interface IDataSourceFactory
{
    /// <exception cref="InvalidDataException">The data set is missing or malformed; the message names the file.</exception>
    IDataSource Create(TrainingSpec training);
}
