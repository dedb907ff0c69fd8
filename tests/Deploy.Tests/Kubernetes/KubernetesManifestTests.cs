using ParamServer.Deploy.Tests.Infrastructure;
using ParamServer.Server.Hosting;
using static ParamServer.Deploy.Tests.Kubernetes.Manifests;

namespace ParamServer.Deploy.Tests.Kubernetes;

public sealed class KubernetesManifestTests
{
    [Fact]
    public void EveryManifest_ParsesWithApiVersionAndKind()
    {
        Assert.Contains($"{Base}/shard-statefulset.yaml", Files);
        foreach (var file in Files)
        {
            var documents = YamlValue.LoadAll(file);
            Assert.NotEmpty(documents);
            foreach (var document in documents)
            {
                Assert.True(document.Has("apiVersion"), $"{document.Path} has no apiVersion");
                Assert.True(document.Has("kind"), $"{document.Path} has no kind");
            }
        }
    }

    [Theory]
    [InlineData(Base)]
    [InlineData(TlsOverlay)]
    public void Kustomization_ReferencesExistingFiles(string folder)
    {
        var kustomization = YamlValue.Load($"{folder}/kustomization.yaml");
        var referenced = kustomization["resources"].Items.Select(item => item.Text).ToList();
        if (kustomization.Has("patches"))
        {
            referenced.AddRange(kustomization["patches"].Items.Select(patch => patch["path"].Text));
        }

        Assert.NotEmpty(referenced);
        foreach (var reference in referenced)
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf(folder), reference));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{folder}: {reference} does not exist");
        }
    }

    [Fact]
    public void BaseKustomization_ListsEveryBaseManifest()
    {
        var listed = BaseKustomization["resources"].Items.Select(item => $"{Base}/{item.Text}").ToHashSet();
        var files = Files.Where(file => file.StartsWith(Base + "/", StringComparison.Ordinal)
            && !file.EndsWith("/kustomization.yaml", StringComparison.Ordinal));

        Assert.All(files, file => Assert.Contains(file, listed));
    }

    [Fact]
    public void StatefulSet_Replicas_EqualShardCount()
    {
        var replicas = StatefulSet["spec"]["replicas"].Int;

        Assert.Equal(replicas, int.Parse(EffectiveEnvironment(ShardContainer)["Shard__Count"]));
        Assert.Equal(replicas, JobFiles.Load().NumShards);
    }

    [Fact]
    public void StatefulSet_PodOrdinalsAreShardIndices()
    {
        var environment = EffectiveEnvironment(ShardContainer);
        var name = StatefulSet["metadata"]["name"].Text;
        var replicas = StatefulSet["spec"]["replicas"].Int;

        Assert.Equal("true", environment["Shard__IndexFromHostname"]);
        Assert.False(environment.ContainsKey("Shard__Index"), "a fixed Shard__Index would override the pod ordinal");
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            var podFqdn = $"{name}-{ordinal}.{HeadlessService["metadata"]["name"].Text}.{Namespace}.svc.cluster.local";
            Assert.Equal(ordinal, ShardIndexFromHostname.ParseOrdinal(podFqdn));
        }
    }

    [Fact]
    public void HeadlessService_Selectors_MatchShardPods()
    {
        var service = HeadlessService["spec"];
        var podLabels = StatefulSet["spec"]["template"]["metadata"]["labels"];
        var pdb = Resource(Base, "PodDisruptionBudget", "paramserver-shard")["spec"];

        Assert.Equal("None", service["clusterIP"].Text);
        Assert.Equal(HeadlessService["metadata"]["name"].Text, StatefulSet["spec"]["serviceName"].Text);
        Assert.True(Selects(service["selector"], podLabels));
        Assert.True(Selects(StatefulSet["spec"]["selector"]["matchLabels"], podLabels));
        Assert.True(Selects(pdb["selector"]["matchLabels"], podLabels));
        Assert.Equal(1, pdb["maxUnavailable"].Int);
    }

    [Fact]
    public void ShardPorts_EqualOptionDefaults()
    {
        var environment = EffectiveEnvironment(ShardContainer);
        var servicePorts = HeadlessService["spec"]["ports"].Items.ToDictionary(port => port["name"].Text);

        Assert.Equal(CodeFacts.ShardGrpcPort, ContainerPort(ShardContainer, "grpc"));
        Assert.Equal(CodeFacts.ShardMetricsPort, ContainerPort(ShardContainer, "metrics"));
        Assert.Equal(CodeFacts.ShardGrpcPort, int.Parse(environment["Shard__Port"]));
        Assert.Equal(CodeFacts.ShardMetricsPort, int.Parse(environment["Shard__MetricsPort"]));
        Assert.Equal(CodeFacts.ShardGrpcPort, servicePorts["grpc"]["port"].Int);
        Assert.Equal(CodeFacts.ShardMetricsPort, servicePorts["metrics"]["port"].Int);
        Assert.Equal(CodeFacts.ShardMetricsPort.ToString(),
            StatefulSet["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"].Text);
    }

    [Theory]
    [InlineData("startupProbe")]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    public void ShardProbes_UseNativeGrpcAgainstHealthService(string probe)
    {
        var grpc = ShardContainer[probe]["grpc"];

        Assert.Equal(CodeFacts.ShardGrpcPort, grpc["port"].Int);
        Assert.Contains(grpc["service"].Text, CodeFacts.HealthServiceNames);
    }

    [Fact]
    public void ShardReadiness_ChecksTheDataPlaneService()
    {
        Assert.Equal(CodeFacts.ShardServiceName, ShardContainer["readinessProbe"]["grpc"]["service"].Text);
    }

    [Fact]
    public void Shard_HasTimeToCheckpointOnSigterm()
    {
        var grace = StatefulSet["spec"]["template"]["spec"]["terminationGracePeriodSeconds"].Int;

        Assert.True(grace >= 60, $"terminationGracePeriodSeconds is {grace}; a checkpoint on SIGTERM needs time");
        var shutdown = double.Parse(EffectiveEnvironment(ShardContainer)["Shard__ShutdownTimeoutSeconds"]);
        Assert.True(grace > shutdown, $"terminationGracePeriodSeconds {grace} must outlast Shard__ShutdownTimeoutSeconds {shutdown}");
    }

    [Fact]
    public void Checkpoints_LiveOnTheVolumeClaimTemplate()
    {
        var directory = EffectiveEnvironment(ShardContainer)["Shard__CheckpointDirectory"];
        var claim = StatefulSet["spec"]["volumeClaimTemplates"][0];
        var mount = ShardContainer["volumeMounts"].Items.Single(item => item["mountPath"].Text == directory);

        Assert.Equal(claim["metadata"]["name"].Text, mount["name"].Text);
        Assert.Equal("ReadWriteOnce", claim["spec"]["accessModes"][0].Text);
        Assert.Equal("1654", StatefulSet["spec"]["template"]["spec"]["securityContext"]["fsGroup"].Text);
    }

    [Fact]
    public void JobConfigMap_MountedJob_EqualsJobFile()
    {
        var jobFile = EffectiveEnvironment(ShardContainer)["Shard__JobFile"];
        var mount = ShardContainer["volumeMounts"].Items.Single(item => jobFile.StartsWith(item["mountPath"].Text + "/"));
        var volume = StatefulSet["spec"]["template"]["spec"]["volumes"].Items.Single(item => item["name"].Text == mount["name"].Text);
        var configMap = Resource(Base, "ConfigMap", volume["configMap"]["name"].Text);
        var key = jobFile[(mount["mountPath"].Text.Length + 1)..];

        Assert.Equal(JobFiles.Load(), JobFiles.Parse(configMap["data"][key].Text));
    }

    [Fact]
    public void Worker_RequestsAGpuAndTolerates()
    {
        var resources = WorkerContainer["resources"];
        var tolerations = WorkerDeployment["spec"]["template"]["spec"]["tolerations"];

        Assert.Equal(1, resources["limits"]["nvidia.com/gpu"].Int);
        Assert.Contains(tolerations.Items, toleration => toleration["key"].Text == "nvidia.com/gpu");
        Assert.Equal("auto", EffectiveEnvironment(WorkerContainer)["Worker__Accelerator"]);
    }

    [Fact]
    public void Worker_DiscoversShardsThroughHeadlessService()
    {
        var environment = EffectiveEnvironment(WorkerContainer);
        var expected = $"{HeadlessService["metadata"]["name"].Text}.{Namespace}.svc.cluster.local:{CodeFacts.ShardGrpcPort}";

        Assert.Equal(expected, environment["Worker__ShardsDns"]);
        Assert.False(environment.ContainsKey("Worker__Shards"));
        Assert.Equal(JobFiles.Load().JobId, environment["Worker__JobId"]);
    }

    [Fact]
    public void Worker_LivenessOnMetricsHealthPath()
    {
        var probe = WorkerContainer["livenessProbe"]["httpGet"];
        var environment = EffectiveEnvironment(WorkerContainer);

        Assert.Equal("/healthz", probe["path"].Text);
        Assert.Equal("metrics", probe["port"].Text);
        Assert.Equal(CodeFacts.WorkerMetricsPort, ContainerPort(WorkerContainer, "metrics"));
        Assert.Equal(CodeFacts.WorkerMetricsPort, int.Parse(environment["Worker__MetricsPort"]));
    }

    [Fact]
    public void Environment_EveryVariableNamesARealOption()
    {
        var names = new List<(string Where, string Name)>();
        foreach (var file in Files.Where(file => !file.EndsWith("secrets.example.yaml", StringComparison.Ordinal)))
        {
            foreach (var document in YamlValue.LoadAll(file))
            {
                if (document["kind"].Text == "ConfigMap" && document["metadata"]["name"].Text == "paramserver-settings")
                {
                    names.AddRange(document["data"].Entries.Select(entry => (document.Path, entry.Key)));
                }

                if (document.TryGet("spec", out var spec) && spec.TryGet("template", out var template))
                {
                    foreach (var container in template["spec"]["containers"].Items)
                    {
                        names.AddRange(Environment(container).Keys.Select(name => (container.Path, name)));
                    }
                }
            }
        }

        Assert.True(names.Count > 20, $"only {names.Count} variables found");
        Assert.All(names, entry =>
            Assert.True(CodeFacts.MapsToOption(entry.Name), $"{entry.Where}: {entry.Name} maps to no option"));
    }

    [Fact]
    public void NetworkPolicy_Ports_MatchShardPorts()
    {
        var policy = Resource(Base, "NetworkPolicy", "paramserver-shard")["spec"];
        var rules = policy["ingress"].Items.ToList();
        var workerLabels = WorkerDeployment["spec"]["template"]["metadata"]["labels"];

        Assert.True(Selects(policy["podSelector"]["matchLabels"], StatefulSet["spec"]["template"]["metadata"]["labels"]));
        Assert.Equal(CodeFacts.ShardGrpcPort, rules[0]["ports"][0]["port"].Int);
        Assert.Contains(rules[0]["from"].Items, peer => Selects(peer["podSelector"]["matchLabels"], workerLabels));
        Assert.Equal(CodeFacts.ShardMetricsPort, rules[1]["ports"][0]["port"].Int);
    }

    [Fact]
    public void Autoscaler_TargetsTheWorkerDeployment()
    {
        var target = YamlValue.Load($"{Root}/optional/worker-hpa.yaml")["spec"]["scaleTargetRef"];

        Assert.Equal("Deployment", target["kind"].Text);
        Assert.Equal(WorkerDeployment["metadata"]["name"].Text, target["name"].Text);
    }

    [Fact]
    public void AuthToken_ComesFromTheDocumentedSecretKey()
    {
        var secret = YamlValue.LoadAll($"{Root}/secrets.example.yaml")
            .Single(document => document["metadata"]["name"].Text == "paramserver-auth");
        var reference = ShardContainer["env"].Items.Single(item => item["name"].Text == "Shard__AuthToken")
            ["valueFrom"]["secretKeyRef"];

        Assert.Equal(secret["metadata"]["name"].Text, reference["name"].Text);
        Assert.True(secret["stringData"].Has(reference["key"].Text));
        Assert.False(Environment(WorkerContainer).ContainsKey("Worker__AuthToken"), "workers need no operator token");
    }
}
