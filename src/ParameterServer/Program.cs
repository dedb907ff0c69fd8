using ParamServer.Server.Hosting;
using ParamServer.Server.Metrics;
using ParamServer.Server.Security;

// The container health check runs the same executable with --health-check instead of starting a shard.
if (ShardHealthProbe.IsRequested(args))
{
    return await ShardHealthProbe.RunAsync(args, Console.Out, TimeSpan.FromSeconds(5));
}

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddParameterShard();
builder.AddShardSecurity();
builder.AddShardMetrics();

WebApplication app = builder.Build();
app.MapParameterShard();
app.Run();
return 0;
