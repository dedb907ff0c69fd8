using ParamServer.Protocol.V1;

namespace ParamServer.Server.Security;

/// <summary>The gRPC method paths of the operator calls that change shard state and so require the bearer
/// token.</summary>
public static class OperatorMethods
{
    /// <summary>Paths such as <c>/paramserver.v1.ShardOperator/Checkpoint</c>, as <c>ServerCallContext.Method</c>
    /// has them.</summary>
    public static IReadOnlySet<string> StateChanging { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        PathOf(nameof(ShardOperator.ShardOperatorBase.Checkpoint)),
        PathOf(nameof(ShardOperator.ShardOperatorBase.SetLearningRate)),
        PathOf(nameof(ShardOperator.ShardOperatorBase.EvictWorker)),
        PathOf(nameof(ShardOperator.ShardOperatorBase.Shutdown)),
    };

    private static string PathOf(string methodName) => $"/{ShardOperator.Descriptor.FullName}/{methodName}";
}
