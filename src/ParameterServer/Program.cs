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
try
{
    await app.RunAsync();
}
catch (IOException e) when (e.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
{
    // Kestrel reports a port in use as an IOException; name the options instead of dumping a stack trace.
    Console.Error.WriteLine(
        $"ParameterServer: {e.Message} Set Shard:Port and Shard:MetricsPort to free ports (0 picks one; " +
        "MetricsPort -1 disables metrics).");
    return 1;
}

return 0;
