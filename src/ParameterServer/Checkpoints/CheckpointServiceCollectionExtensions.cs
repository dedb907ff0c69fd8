using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;
using ParamServer.Server.Jobs;

namespace ParamServer.Server.Checkpoints;

/// <summary>Registers checkpoints in a shard host.</summary>
public static class CheckpointServiceCollectionExtensions
{
    /// <summary>
    /// Adds the checkpoint service (also as <see cref="ICheckpointService"/> for the operator RPCs and status when
    /// Shard:CheckpointDirectory is set) and its hosted service. Call before the shard's lifecycle service is
    /// registered, so restoring runs before the job file is created.
    /// </summary>
    public static IServiceCollection AddShardCheckpoints(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<ICheckpointTarget>(provider => new JobRegistryCheckpointTarget(
            provider.GetRequiredService<JobRegistry>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new CheckpointService(
            provider.GetRequiredService<IOptions<ShardOptions>>().Value,
            provider.GetRequiredService<ICheckpointTarget>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        // With checkpoints off the operator service gets no ICheckpointService, so Checkpoint returns UNIMPLEMENTED.
        // Microsoft.Extensions.DependencyInjection returns null from GetService when a factory returns null.
        services.AddSingleton<ICheckpointService>(provider =>
        {
            CheckpointService checkpoints = provider.GetRequiredService<CheckpointService>();
            return checkpoints.Enabled ? checkpoints : null!;
        });
        services.AddHostedService<CheckpointHostedService>();
        return services;
    }
}
