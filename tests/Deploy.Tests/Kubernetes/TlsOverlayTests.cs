using ParamServer.Deploy.Tests.Infrastructure;
using static ParamServer.Deploy.Tests.Kubernetes.Manifests;

namespace ParamServer.Deploy.Tests.Kubernetes;

public sealed class TlsOverlayTests
{
    private static YamlValue ShardPatch => Container(Resource(TlsOverlay, "StatefulSet", "paramserver-shard"), "shard");

    private static YamlValue WorkerPatch => Container(Resource(TlsOverlay, "Deployment", "paramserver-worker"), "worker");

    [Theory]
    [InlineData("startupProbe")]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    public void Probes_MoveToThePlainTextHealthPort(string probe)
    {
        var healthPort = int.Parse(Environment(ShardPatch)["Shard__HealthPort"]);
        var grpc = ShardPatch[probe]["grpc"];

        Assert.Equal(healthPort, grpc["port"].Int);
        Assert.Equal(healthPort, ContainerPort(ShardPatch, "health"));
        Assert.NotEqual(CodeFacts.ShardGrpcPort, healthPort);
        Assert.NotEqual(CodeFacts.ShardMetricsPort, healthPort);
        Assert.Contains(grpc["service"].Text, CodeFacts.HealthServiceNames);
    }

    [Theory]
    [InlineData("StatefulSet", "paramserver-shard", "shard", "paramserver-shard-tls")]
    [InlineData("Deployment", "paramserver-worker", "worker", "paramserver-worker-tls")]
    public void TlsFiles_LieInTheMountedSecret(string kind, string name, string containerName, string secretName)
    {
        var workload = Resource(TlsOverlay, kind, name);
        var container = Container(workload, containerName);
        var mount = container["volumeMounts"].Items.Single(item => item["name"].Text == "tls")["mountPath"].Text;
        var volume = workload["spec"]["template"]["spec"]["volumes"].Items.Single(item => item["name"].Text == "tls");
        var secret = YamlValue.LoadAll($"{Root}/secrets.example.yaml")
            .Single(document => document["metadata"]["name"].Text == secretName);
        var paths = Environment(container).Where(variable => variable.Key.Contains("__Tls__")).ToList();

        Assert.Equal(secretName, volume["secret"]["secretName"].Text);
        Assert.Equal(3, paths.Count);
        foreach (var (variable, path) in paths)
        {
            Assert.StartsWith(mount + "/", path);
            Assert.True(secret["stringData"].Has(path[(mount.Length + 1)..]), $"{variable}: {secretName} has no key for {path}");
            Assert.True(CodeFacts.MapsToOption(variable), $"{variable} maps to no option");
        }
    }

    [Fact]
    public void WorkerShards_UnderTls_UseStableNames()
    {
        var environment = Environment(WorkerPatch);
        var replicas = StatefulSet["spec"]["replicas"].Int;
        var name = StatefulSet["metadata"]["name"].Text;
        var service = HeadlessService["metadata"]["name"].Text;

        var expected = Enumerable.Range(0, replicas)
            .Select(ordinal => $"https://{name}-{ordinal}.{service}.{Namespace}.svc.cluster.local:{CodeFacts.ShardGrpcPort}");
        Assert.Equal(string.Join(',', expected), environment["Worker__Shards"]);
        Assert.Equal("", environment["Worker__ShardsDns"]);
    }
}
