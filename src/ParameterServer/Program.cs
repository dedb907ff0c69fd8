using ParamServer.Server.Hosting;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddParameterShard();

// Transport security, operator authentication and the metrics listener register here, between AddParameterShard
// and Build: interceptors through GrpcServiceOptions, listeners and TLS through ShardEndpointOptions.

WebApplication app = builder.Build();
app.MapParameterShard();
app.Run();
