using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Metrics;
using ParamServer.Server.Security;
using ParamServer.Worker.Hosting;
using ParamServer.Worker.Metrics;
using ParamServer.Worker.Security;

namespace ParamServer.Deploy.Tests.Infrastructure;

/// <summary>The values in the code that the Dockerfiles, the compose file and the manifests must agree with.</summary>
internal static class CodeFacts
{
    /// <summary>Option classes bound from the <c>Shard</c> section.</summary>
    public static readonly Type[] ShardOptionTypes = [typeof(ShardOptions), typeof(ShardSecurityOptions)];

    /// <summary>Option classes bound from the <c>Worker</c> section.</summary>
    public static readonly Type[] WorkerOptionTypes =
        [typeof(WorkerOptions), typeof(WorkerMetricsOptions), typeof(WorkerSecurityOptions)];

    public static int ShardGrpcPort { get; } = new ShardOptions().Port;

    public static int ShardMetricsPort { get; } = new ShardOptions().MetricsPort;

    public static int WorkerMetricsPort { get; } = new WorkerMetricsOptions().MetricsPort;

    /// <summary>The data-plane service name, which the shard's health service reports under.</summary>
    public static string ShardServiceName { get; } = ParameterShard.Descriptor.FullName;

    /// <summary>The service names the shard's health service reports: the whole server and the data plane.</summary>
    public static IReadOnlySet<string> HealthServiceNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "",
        ParameterShard.Descriptor.FullName,
    };

    public static string ShardDll { get; } = typeof(ShardOptions).Assembly.GetName().Name + ".dll";

    public static string WorkerDll { get; } = typeof(WorkerOptions).Assembly.GetName().Name + ".dll";

    public static string ShardHealthSwitch => ShardHealthProbe.Switch;

    public static string WorkerHealthSwitch => WorkerHealthProbe.Switch;

    /// <summary>Whether an environment variable configures the shard or worker program (and so must map to an
    /// option).</summary>
    public static bool IsProgramSetting(string name) =>
        name.StartsWith("Shard__", StringComparison.Ordinal) || name.StartsWith("Worker__", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/>, a <c>Shard__</c> or <c>Worker__</c> variable, names a real
    /// option.</summary>
    public static bool MapsToOption(string name) => name.StartsWith("Shard__", StringComparison.Ordinal)
        ? OptionNames.Maps(name, "Shard", ShardOptionTypes)
        : OptionNames.Maps(name, "Worker", WorkerOptionTypes);
}
