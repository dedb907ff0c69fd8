using ParamServer.Deploy.Tests.Infrastructure;

namespace ParamServer.Deploy.Tests.Containers;

public sealed class ComposeFileTests
{
    private static readonly YamlValue Compose = YamlValue.Load("docker-compose.yml");

    private static IReadOnlyList<KeyValuePair<string, YamlValue>> Shards => Compose["services"].Entries
        .Where(service => service.Key.StartsWith("shard-", StringComparison.Ordinal))
        .OrderBy(service => service.Key, StringComparer.Ordinal)
        .ToList();

    [Fact]
    public void Shards_HaveStableNamesAndMatchingIndices()
    {
        var job = JobFiles.Load();

        Assert.Equal(new[] { "shard-0", "shard-1" }, Shards.Select(shard => shard.Key));
        foreach (var (name, shard) in Shards)
        {
            var environment = shard["environment"];
            Assert.Equal(name, shard["hostname"].Text);
            Assert.Equal(name["shard-".Length..], environment["Shard__Index"].Text);
            Assert.Equal(Shards.Count, environment["Shard__Count"].Int);
        }

        Assert.Equal(Shards.Count, job.NumShards);
    }

    [Fact]
    public void Shards_HaveOwnCheckpointVolume()
    {
        var declared = Compose["volumes"].Entries.Select(volume => volume.Key).ToHashSet();
        var used = new HashSet<string>();

        foreach (var (name, shard) in Shards)
        {
            var directory = shard["environment"]["Shard__CheckpointDirectory"].Text;
            var mount = shard["volumes"].Items.Select(volume => volume.Text)
                .Single(volume => volume.EndsWith($":{directory}", StringComparison.Ordinal));
            var volumeName = mount[..mount.IndexOf(':')];
            Assert.Contains(volumeName, declared);
            Assert.True(used.Add(volumeName), $"{name} shares the checkpoint volume {volumeName}");
        }
    }

    [Fact]
    public void Shards_PublishDefaultContainerPorts()
    {
        foreach (var (name, shard) in Shards)
        {
            var environment = shard["environment"];
            var containerPorts = shard["ports"].Items.Select(port => int.Parse(port.Text.Split(':')[^1])).ToList();
            Assert.Equal(new[] { CodeFacts.ShardGrpcPort, CodeFacts.ShardMetricsPort }, containerPorts);
            Assert.Equal(CodeFacts.ShardGrpcPort, environment["Shard__Port"].Int);
            Assert.Equal(CodeFacts.ShardMetricsPort, environment["Shard__MetricsPort"].Int);
            var grace = int.Parse(shard["stop_grace_period"].Text.TrimEnd('s'));
            Assert.True(grace > environment["Shard__ShutdownTimeoutSeconds"].Int, $"{name}: stop_grace_period too short");
            Assert.Equal("${PARAMSERVER_TOKEN:-}", environment["Shard__AuthToken"].Text);
        }
    }

    [Fact]
    public void JobFile_MountedWhereShardsReadIt()
    {
        foreach (var (_, shard) in Shards)
        {
            var jobFile = shard["environment"]["Shard__JobFile"].Text;
            Assert.Contains(shard["volumes"].Items, volume => volume.Text == $"./{JobFiles.Path}:{jobFile}:ro");
        }
    }

    [Fact]
    public void Worker_ScalesWithGpuReservation()
    {
        var worker = Compose["services"]["worker"];
        var device = worker["deploy"]["resources"]["reservations"]["devices"][0];

        Assert.False(worker.Has("container_name"), "a fixed container name prevents --scale");
        Assert.All(worker["ports"].Items, port => Assert.DoesNotContain(":", port.Text));
        Assert.Equal("nvidia", device["driver"].Text);
        Assert.Equal(new[] { "gpu" }, device["capabilities"].Items.Select(item => item.Text));
        Assert.Equal(CodeFacts.WorkerMetricsPort, int.Parse(worker["ports"][0].Text));
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("worker-cpu")]
    public void Worker_ShardListMatchesShardServicesInIndexOrder(string service)
    {
        var environment = Compose["services"][service]["environment"];

        var expected = Shards.Select(shard => $"http://{shard.Key}:{CodeFacts.ShardGrpcPort}");
        Assert.Equal(string.Join(',', expected), environment["Worker__Shards"].Text);
        Assert.Equal(JobFiles.Load().JobId, environment["Worker__JobId"].Text);
        Assert.Equal(CodeFacts.WorkerMetricsPort, environment["Worker__MetricsPort"].Int);
    }

    [Fact]
    public void CpuWorker_OnlyInCpuProfile()
    {
        var worker = Compose["services"]["worker-cpu"];

        Assert.Equal(new[] { "cpu" }, worker["profiles"].Items.Select(item => item.Text));
        Assert.Equal("cpu", worker["environment"]["Worker__Accelerator"].Text);
        Assert.False(worker.Has("deploy"));
    }

    [Fact]
    public void Environment_EveryVariableNamesARealOption()
    {
        var names = Compose["services"].Entries
            .SelectMany(service => service.Value["environment"].Entries.Select(variable => (service.Key, variable.Key)))
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, pair =>
        {
            Assert.True(CodeFacts.IsProgramSetting(pair.Item2), $"{pair.Item1}: {pair.Item2} is not a Shard__ or Worker__ setting");
            Assert.True(CodeFacts.MapsToOption(pair.Item2), $"{pair.Item1}: {pair.Item2} maps to no option");
        });
    }

    [Fact]
    public void Services_BuildFromRepositoryDockerfiles()
    {
        foreach (var (name, service) in Compose["services"].Entries)
        {
            var build = service["build"];
            Assert.Equal(".", build["context"].Text);
            Assert.True(File.Exists(RepositoryFiles.PathOf(build["dockerfile"].Text)), $"{name}: no {build["dockerfile"].Text}");
        }
    }
}
