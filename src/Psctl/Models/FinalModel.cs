using ParamServer.Model;
using ParamServer.Protocol.V1;

namespace ParamServer.Psctl.Models;

/// <summary>The whole parameter vector of a job at one version, gathered from every shard.</summary>
public sealed class FinalModel
{
    public FinalModel(JobSpec job, float[] parameters, long version)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        Job = job;
        Layout = ModelLayout.Create(job.Model);
        if (parameters.LongLength != Layout.TotalElements)
        {
            throw new ArgumentException(
                $"parameters has {parameters.LongLength} elements; the model has {Layout.TotalElements}.",
                nameof(parameters));
        }

        Parameters = parameters;
        Version = version;
    }

    public JobSpec Job { get; }

    public ModelLayout Layout { get; }

    /// <summary>The flat vector: every tensor in model order, row-major.</summary>
    public float[] Parameters { get; }

    /// <summary>Smallest version among the shards' slices (equal on every shard for a finished synchronous job).</summary>
    public long Version { get; }

    /// <summary>The elements of tensor <paramref name="name"/>.</summary>
    public ReadOnlySpan<float> Tensor(string name)
    {
        TensorSlot slot = Layout[name];
        return Parameters.AsSpan((int)slot.Offset, (int)slot.Elements);
    }
}
