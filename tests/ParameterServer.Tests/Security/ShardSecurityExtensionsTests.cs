using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;
using ParamServer.Server.Metrics;
using ParamServer.Server.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class ShardSecurityExtensionsTests
{
    [Fact]
    public void AddShardSecurity_CalledTwice_RegistersInterceptorsOnce()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.AddParameterShard();

        builder.AddShardSecurity();
        builder.AddShardSecurity();
        builder.AddShardMetrics();
        builder.AddShardMetrics();

        using var app = builder.Build();
        var grpc = app.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        Assert.Equal(
            new[] { nameof(HealthOnlyInterceptor), nameof(OperatorAuthInterceptor), nameof(CallDurationInterceptor) },
            grpc.Interceptors.Select(interceptor => interceptor.Type.Name));
        Assert.Equal(ShardHostingExtensions.MaxMessageBytes, grpc.MaxReceiveMessageSize);
        Assert.Single(app.Services.GetServices<IHostedService>().OfType<ParamServer.Metrics.PrometheusEndpointService>());
        Assert.IsType<TimedJobComponentFactory>(app.Services.GetRequiredService<ParamServer.Server.Jobs.IJobComponentFactory>());
    }
}
