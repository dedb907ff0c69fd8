using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ParamServer.Server.Hosting;

namespace ParamServer.Server.Tests.Infrastructure;

/// <summary>Starts real shards on 127.0.0.1 with a free port, quiet logging and an optional fake clock.</summary>
internal static class ShardTestHost
{
    public static Task<RunningShard> StartAsync(
        Action<ShardOptions>? configure = null,
        TimeProvider? time = null,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var options = new ShardOptions { ListenAddress = "127.0.0.1", Port = 0, MetricsPort = -1 };
        configure?.Invoke(options);
        return ShardHost.StartAsync(options, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (time is not null)
            {
                builder.Services.Replace(ServiceDescriptor.Singleton(time));
            }

            configureBuilder?.Invoke(builder);
        }).WaitAsync(TestTimeouts.Default);
    }
}
