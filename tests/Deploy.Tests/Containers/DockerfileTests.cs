using System.Text.Json;
using System.Xml.Linq;
using ParamServer.Deploy.Tests.Infrastructure;

namespace ParamServer.Deploy.Tests.Containers;

public sealed class DockerfileTests
{
    public static TheoryData<string, string, string> Images => new()
    {
        { "src/ParameterServer/Dockerfile", "src/ParameterServer/ParameterServer.csproj", CodeFacts.ShardDll },
        { "src/Worker/Dockerfile", "src/Worker/Worker.csproj", CodeFacts.WorkerDll },
    };

    public static TheoryData<string> Dockerfiles => new() { "src/ParameterServer/Dockerfile", "src/Worker/Dockerfile" };

    [Theory]
    [MemberData(nameof(Images))]
    public void Stages_BuildWithSdkAndRunOnAspNet10(string dockerfile, string project, string dll)
    {
        var file = Dockerfile.Load(dockerfile);
        var version = file.Arg("DOTNET_VERSION");
        var stages = file.All("FROM").Select(from => from.Replace("${DOTNET_VERSION}", version)).ToList();

        Assert.Equal("10.0", version);
        Assert.Equal(2, stages.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime", stages[1]);
        Assert.Contains(file.All("RUN"), run => run.Contains($"dotnet publish {project}"));
        Assert.Contains(file.All("COPY"), copy => copy.StartsWith($"{project} ", StringComparison.Ordinal)
            || copy.StartsWith($"{Path.GetDirectoryName(project)}/ ", StringComparison.Ordinal));
        Assert.EndsWith(".dll", dll);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Entrypoint_RunsTheProjectAssembly(string dockerfile, string project, string dll)
    {
        var final = Dockerfile.Load(dockerfile).FinalStage();

        var entrypoint = JsonSerializer.Deserialize<string[]>(final.All("ENTRYPOINT").Single())!;

        Assert.Equal(new[] { "dotnet", $"/app/{dll}" }, entrypoint);
        Assert.Equal(AssemblyNameOf(project) + ".dll", dll);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Healthcheck_RunsTheAssemblyProbe(string dockerfile, string project, string dll)
    {
        var final = Dockerfile.Load(dockerfile).FinalStage();
        var healthcheck = final.All("HEALTHCHECK").Single();
        var command = JsonSerializer.Deserialize<string[]>(healthcheck[healthcheck.IndexOf('[')..])!;
        var expectedSwitch = dll == CodeFacts.ShardDll ? CodeFacts.ShardHealthSwitch : CodeFacts.WorkerHealthSwitch;

        Assert.StartsWith("--interval=", healthcheck);
        Assert.Contains("CMD [", healthcheck);
        Assert.Equal(new[] { "dotnet", $"/app/{dll}", expectedSwitch }, command);
        Assert.Equal(AssemblyNameOf(project) + ".dll", dll);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void User_IsNonRootBeforeEntrypoint(string dockerfile)
    {
        var final = Dockerfile.Load(dockerfile).FinalStage().Instructions;
        var user = final.Select((instruction, index) => (instruction, index)).Single(pair => pair.instruction.Keyword == "USER");
        var entrypoint = final.Select((instruction, index) => (instruction, index)).Single(pair => pair.instruction.Keyword == "ENTRYPOINT");

        Assert.Equal("$APP_UID", user.instruction.Arguments);
        Assert.True(user.index < entrypoint.index);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Environment_NamesRealOptions(string dockerfile)
    {
        var environment = Dockerfile.Load(dockerfile).FinalStage().Environment();

        var settings = environment.Keys.Where(CodeFacts.IsProgramSetting).ToList();
        Assert.NotEmpty(settings);
        Assert.All(settings, name => Assert.True(CodeFacts.MapsToOption(name), $"{dockerfile}: {name} maps to no option"));
        Assert.Equal("", environment["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public void ShardImage_ExposesDefaultPortsAndCheckpointVolume()
    {
        var final = Dockerfile.Load("src/ParameterServer/Dockerfile").FinalStage();
        var environment = final.Environment();

        Assert.Equal(
            new[] { CodeFacts.ShardGrpcPort, CodeFacts.ShardMetricsPort },
            final.All("EXPOSE").Single().Split(' ').Select(int.Parse));
        Assert.Equal(CodeFacts.ShardGrpcPort.ToString(), environment["Shard__Port"]);
        Assert.Equal(CodeFacts.ShardMetricsPort.ToString(), environment["Shard__MetricsPort"]);
        Assert.Equal($"[\"{environment["Shard__CheckpointDirectory"]}\"]", final.All("VOLUME").Single());
        Assert.Equal("SIGTERM", final.All("STOPSIGNAL").Single());
    }

    [Fact]
    public void WorkerImage_Cuda_LinksDriverLibrary()
    {
        var final = Dockerfile.Load("src/Worker/Dockerfile").FinalStage();
        var environment = final.Environment();

        Assert.Equal(CodeFacts.WorkerMetricsPort, int.Parse(final.All("EXPOSE").Single()));
        Assert.Equal(CodeFacts.WorkerMetricsPort.ToString(), environment["Worker__MetricsPort"]);
        Assert.Equal("auto", environment["Worker__Accelerator"]);
        Assert.Equal("/opt/paramserver/cuda", environment["LD_LIBRARY_PATH"]);
        Assert.Contains(final.All("RUN"), run => run.Contains("/opt/paramserver/cuda/libcuda.so"));
        Assert.Contains("compute", environment["NVIDIA_DRIVER_CAPABILITIES"]);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void CopySources_ExistAndAreNotIgnored(string dockerfile)
    {
        var ignored = RepositoryFiles.ReadAllText(".dockerignore").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
        var sources = Dockerfile.Load(dockerfile).All("COPY")
            .Where(arguments => !arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(arguments => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = RepositoryFiles.PathOf(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{dockerfile} copies {source}, which does not exist");
            Assert.DoesNotContain(source, ignored);
            Assert.DoesNotContain(source.Split('/')[0] + "/", ignored);
        }
    }

    [Fact]
    public void WorkerImage_CopiesTheSharedMetricsSources()
    {
        var linked = XDocument.Load(RepositoryFiles.PathOf("src/Worker/Worker.csproj"))
            .Descendants("Compile")
            .Select(element => element.Attribute("Include")!.Value)
            .ToList();
        var copies = Dockerfile.Load("src/Worker/Dockerfile").All("COPY").ToList();

        Assert.NotEmpty(linked);
        foreach (var include in linked)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf("src/Worker"), include)))!;
            var relative = Path.GetRelativePath(RepositoryFiles.Root, folder).Replace('\\', '/') + "/";
            Assert.Contains(copies, copy => copy.StartsWith(relative, StringComparison.Ordinal));
        }
    }

    private static string AssemblyNameOf(string project) =>
        XDocument.Load(RepositoryFiles.PathOf(project)).Descendants("AssemblyName").Single().Value;
}
