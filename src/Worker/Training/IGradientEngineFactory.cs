using ParamServer.Protocol.V1;

namespace ParamServer.Worker.Training;

/// <summary>Creates the gradient engine of a job's multilayer perceptron on the configured accelerator.</summary>
public interface IGradientEngineFactory
{
    /// <param name="model">The job's model: dense{l}.weight [in, out] and dense{l}.bias [out] per layer.</param>
    /// <param name="maxBatchSize">Largest minibatch the engine will be given, in samples.</param>
    IGradientEngine Create(ModelSpec model, int maxBatchSize);
}
