using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ParamServer.Protocol.V1;
using ParamServer.Server.Hosting;
using ParamServer.Server.Tests.Infrastructure;

namespace ParamServer.Server.Tests.Hosting;

public sealed class HostingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("paramserver.v1.ParameterShard")]
    public async Task Health_KnownService_Serving(string service)
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        var health = new Health.HealthClient(client.Channel);

        HealthCheckResponse response = await health.CheckAsync(
            new HealthCheckRequest { Service = service }, deadline: ShardClient.Deadline);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_ListServices_IncludesShardServices()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);
        var reflection = new ServerReflection.ServerReflectionClient(client.Channel);

        using AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call =
            reflection.ServerReflectionInfo(deadline: ShardClient.Deadline);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        string[] services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        Assert.Contains("paramserver.v1.ParameterShard", services);
        Assert.Contains("paramserver.v1.ShardOperator", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task ReadyFile_PortZero_ContainsBoundAddress()
    {
        string path = Path.Combine(Path.GetTempPath(), $"shard-ready-{Guid.NewGuid():N}");
        try
        {
            await using RunningShard shard = await ShardTestHost.StartAsync(o => o.ReadyFile = path);

            string written = await File.ReadAllTextAsync(path);

            Assert.Equal(shard.Address, written);
            Assert.StartsWith("http://127.0.0.1:", written);
            Assert.NotEqual("http://127.0.0.1:0", written);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadyFile_ExtraListener_ReportsGrpcEndpoint()
    {
        string path = Path.Combine(Path.GetTempPath(), $"shard-ready-{Guid.NewGuid():N}");
        try
        {
            // Another listener, like the metrics port, must not be taken for the gRPC endpoint.
            await using RunningShard shard = await ShardTestHost.StartAsync(
                o => o.ReadyFile = path,
                configureBuilder: builder => builder.Services.Configure<ShardEndpointOptions>(endpoint =>
                    endpoint.ConfigureServer.Add((kestrel, _) => kestrel.Listen(System.Net.IPAddress.Loopback, 0))));
            using var client = new ShardClient(await File.ReadAllTextAsync(path));
            var health = new Health.HealthClient(client.Channel);

            HealthCheckResponse response = await health.CheckAsync(new HealthCheckRequest(), deadline: ShardClient.Deadline);

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task JobFile_ValidSpec_CreatedAtStart()
    {
        string path = Path.Combine(Path.GetTempPath(), $"job-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonFormatter.Default.Format(TestJobs.Flat("from-file", 5)));
        try
        {
            await using RunningShard shard = await ShardTestHost.StartAsync(o => o.JobFile = path);
            using var client = new ShardClient(shard.Address);

            JobSpec job = await client.Shard.GetJobAsync(new GetJobRequest { JobId = "from-file" }, deadline: ShardClient.Deadline);

            Assert.Equal(5, job.Model.Tensors[0].Shape[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_NamesOptionValueAndRule()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            ShardTestHost.StartAsync(o =>
            {
                o.Index = 4;
                o.Count = 2;
                o.ChunkBytes = 6;
            }));

        Assert.Contains("Shard:Index is 4; expected a value in [0, Shard:Count = 2)", error.Message);
        Assert.Contains("Shard:ChunkBytes is 6; expected a multiple of 4", error.Message);
    }

    [Theory]
    [InlineData("paramserver-3", 3)]
    [InlineData("paramserver-12.paramserver.default.svc.cluster.local", 12)]
    [InlineData("paramserver", null)]
    [InlineData("paramserver-", null)]
    [InlineData("shard-x1", null)]
    public void ParseOrdinal_HostName_TrailingIndex(string hostName, int? expected)
    {
        Assert.Equal(expected, ShardIndexFromHostname.ParseOrdinal(hostName));
    }

    [Fact]
    public void PostConfigure_IndexFromHostname_SetsIndex()
    {
        var options = new ShardOptions { IndexFromHostname = true, Count = 4 };

        new ShardIndexFromHostname(() => "ps-2").PostConfigure(Options.DefaultName, options);

        Assert.Equal(2, options.Index);
    }

    [Fact]
    public async Task Shutdown_Rpc_StopsHost()
    {
        await using RunningShard shard = await ShardTestHost.StartAsync();
        using var client = new ShardClient(shard.Address);

        await client.Operator.ShutdownAsync(new ShutdownRequest(), deadline: ShardClient.Deadline);

        await shard.WaitForShutdownAsync().WaitAsync(TestTimeouts.Default);
    }
}
