using ParamServer.Protocol.V1;
using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Commands;
using ParamServer.Psctl.Training;

namespace ParamServer.Psctl.Tests.Cli;

public sealed class TrainOptionsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("psctl-options-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Defaults_BuildDocumentedJob()
    {
        TrainPlan plan = TrainPlan.Create(Parse());

        JobSpec job = plan.Job;
        Assert.Equal("mnist", job.JobId);
        Assert.Equal(2, job.NumShards);
        Assert.Equal(ConsistencyMode.Synchronous, job.Consistency.Mode);
        Assert.Equal(OptimizerKind.Momentum, job.Optimizer.Kind);
        Assert.Equal(0.9, job.Optimizer.Momentum);
        Assert.False(job.Optimizer.Nesterov);
        Assert.Equal(ScheduleKind.Polynomial, job.Schedule.Kind);
        Assert.Equal(0.1, job.Schedule.BaseLearningRate);
        Assert.Equal(1.0, job.Schedule.Power);
        Assert.Equal(0.001, job.Schedule.EndLearningRate);
        Assert.Equal(128, job.Training.BatchSize);
        Assert.Equal(5, job.Training.Epochs);
        Assert.Equal([784, 256, 128, 10], job.Training.LayerSizes);
        Assert.Equal(6, job.Model.Tensors.Count);
        Assert.Equal(2, job.Consistency.MinWorkers);
    }

    [Fact]
    public void MinWorkers_Given_OverridesWorkerCount()
    {
        TrainPlan plan = TrainPlan.Create(Parse("--workers", "3", "--min-workers", "1"));

        Assert.Equal(1, plan.Job.Consistency.MinWorkers);
    }

    [Fact]
    public void Defaults_ScheduleHorizonIsExpectedSteps()
    {
        TrainPlan plan = TrainPlan.Create(Parse());

        // 60 000 images / 2 workers = 30 000 each; ceil(30 000 / 128) = 235 steps per epoch, times 5 epochs.
        Assert.Equal(235, plan.VersionsPerEpoch);
        Assert.Equal(1175, plan.ExpectedVersions);
        Assert.Equal(1175, plan.Job.Schedule.DecaySteps);
        Assert.Equal(58, plan.Job.Training.EvalEverySteps);
    }

    [Fact]
    public void Async_CountsEveryPushAsVersion()
    {
        TrainPlan plan = TrainPlan.Create(Parse("--consistency", "async", "--workers", "4", "--epochs", "2"));

        // ceil(15 000 / 128) = 118 steps per worker and epoch; each push is a version.
        Assert.Equal(472, plan.VersionsPerEpoch);
        Assert.Equal(944, plan.Job.Schedule.DecaySteps);
        Assert.Equal(ConsistencyMode.Asynchronous, plan.Job.Consistency.Mode);
        Assert.Equal(0.05, plan.Job.Schedule.BaseLearningRate);
    }

    [Fact]
    public void Ssp_DefaultsStalenessToTwo()
    {
        TrainPlan plan = TrainPlan.Create(Parse("--consistency", "ssp"));

        Assert.Equal(ConsistencyMode.BoundedStaleness, plan.Job.Consistency.Mode);
        Assert.Equal(2, plan.Job.Consistency.StalenessBound);
    }

    [Fact]
    public void Ssp_TakesStalenessOption()
    {
        TrainPlan plan = TrainPlan.Create(Parse("--consistency=ssp", "--staleness=5"));

        Assert.Equal(5, plan.Job.Consistency.StalenessBound);
    }

    [Fact]
    public void Staleness_WithoutSsp_IsRejected()
    {
        OptionException error = Assert.Throws<OptionException>(() => TrainPlan.Create(Parse("--staleness", "3")));

        Assert.Equal("--staleness applies only to --consistency ssp; the mode is sync.", error.Message);
    }

    [Theory]
    [InlineData("--batch-size", "0", "Invalid value '0' for --batch-size: expected an integer from 1 to 65536.")]
    [InlineData("--shards", "65", "Invalid value '65' for --shards: expected an integer from 1 to 64.")]
    [InlineData("--lr", "0", "Invalid value '0' for --lr: expected a number in (0, 100].")]
    [InlineData("--momentum", "abc", "Invalid value 'abc' for --momentum: expected a number in [0, 1).")]
    [InlineData("--consistency", "bsp", "Invalid value 'bsp' for --consistency: expected one of sync, async, ssp.")]
    [InlineData("--layers", "784", "Invalid value '784' for --layers: expected at least 2 comma-separated integers, each from 1 to 65536.")]
    [InlineData("--job-id", "a b", "Invalid value 'a b' for --job-id: expected 1 to 64 letters, digits, '.', '_' or '-'.")]
    [InlineData("--shard-metrics-port", "-2", "Invalid value '-2' for --shard-metrics-port: expected an integer from -1 to 65535.")]
    public void BadValue_MessageNamesOptionAndRange(string option, string value, string expected)
    {
        OptionException error = Assert.Throws<OptionException>(() => Parse(option, value));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Momentum_OfOne_IsRejected()
    {
        OptionException error = Assert.Throws<OptionException>(() => Parse("--momentum", "1"));

        Assert.Equal("Invalid value '1' for --momentum: expected a number in [0, 1).", error.Message);
    }

    [Fact]
    public void UnknownOption_SuggestsClosest()
    {
        OptionException error = Assert.Throws<OptionException>(() => Parse("--batchsize", "3"));

        Assert.Equal(
            "Unknown option '--batchsize' for 'psctl train'. Did you mean --batch-size? Run 'psctl train --help' for the list.",
            error.Message);
    }

    [Fact]
    public void RepeatedOption_IsRejected()
    {
        OptionException error = Assert.Throws<OptionException>(() => Parse("--epochs", "1", "--epochs", "2"));

        Assert.Equal("Option --epochs is given more than once; give it once.", error.Message);
    }

    [Fact]
    public void MissingValue_IsRejected()
    {
        OptionException error = Assert.Throws<OptionException>(() => Parse("--epochs"));

        Assert.Equal("Option --epochs is missing its value: expected N (an integer from 1 to 10000).", error.Message);
    }

    [Fact]
    public void Flag_AcceptsBareAndExplicitForms()
    {
        TrainSettings on = Parse("--nesterov");
        TrainSettings off = Parse("--nesterov=false");

        Assert.True(on.Nesterov);
        Assert.False(off.Nesterov);
    }

    [Fact]
    public void OptimizerOption_ForOtherOptimizer_IsRejected()
    {
        OptionException error = Assert.Throws<OptionException>(() => TrainPlan.Create(Parse("--beta1", "0.8")));

        Assert.Equal("--beta1 applies only to --optimizer adam or adamw; the optimizer is momentum.", error.Message);
    }

    [Fact]
    public void Adam_TakesBetas()
    {
        TrainPlan plan = TrainPlan.Create(Parse("--optimizer", "adam", "--beta1", "0.8", "--beta2", "0.99",
            "--lr", "0.001", "--end-lr", "0"));

        Assert.Equal(OptimizerKind.Adam, plan.Job.Optimizer.Kind);
        Assert.Equal(0.8, plan.Job.Optimizer.Beta1);
        Assert.Equal(0.99, plan.Job.Optimizer.Beta2);
        Assert.False(plan.Job.Optimizer.HasMomentum);
    }

    [Fact]
    public void Layers_NotMnistShaped_AreRejected()
    {
        OptionException error = Assert.Throws<OptionException>(() => TrainPlan.Create(Parse("--layers", "100,10")));

        Assert.StartsWith("Invalid value '100,10' for --layers: MNIST needs 784 inputs", error.Message);
    }

    [Fact]
    public void EndLearningRate_AboveBase_IsRejected()
    {
        OptionException error = Assert.Throws<OptionException>(
            () => TrainPlan.Create(Parse("--lr", "0.01", "--end-lr", "0.02")));

        Assert.Equal("Invalid value '0.02' for --end-lr: expected at most --lr (0.01).", error.Message);
    }

    [Fact]
    public void ConfigFile_SetsNestedKeys()
    {
        string path = WriteConfig("""
            {
              // Comments and trailing commas are accepted.
              "cluster": { "shards": 3, "workers": 4 },
              "model": { "layers": [784, 64, 10] },
              "schedule": { "kind": "cosine", "learningRate": 0.05 },
              "consistency": { "mode": "ssp", "staleness": 1 },
              "shard": { "settings": { "MaxMessageBytes": 1024 }, "tls": { "certificatePath": "c.pem", "keyPath": "k.pem" } },
              "worker": { "accelerator": "cpu" },
            }
            """);

        TrainSettings settings = Parse("--config", path);

        Assert.Equal(3, settings.Shards);
        Assert.Equal(4, settings.Workers);
        Assert.Equal([784, 64, 10], settings.LayerSizes);
        Assert.Equal(ScheduleKind.Cosine, settings.Schedule);
        Assert.Equal(0.05, settings.LearningRate);
        Assert.Equal(0.05, settings.EffectiveLearningRate);
        Assert.Equal(ConsistencyMode.BoundedStaleness, settings.Consistency);
        Assert.Equal(1, settings.Staleness);
        Assert.Equal([new KeyValuePair<string, string>("MaxMessageBytes", "1024")], settings.ExtraShardSettings);
        Assert.Equal("c.pem", settings.TlsCertificatePath);
        Assert.Equal("cpu", settings.Accelerator);
    }

    [Fact]
    public void CommandLine_OverridesConfigFile()
    {
        string path = WriteConfig("""{ "training": { "epochs": 3, "batchSize": 64 } }""");

        TrainSettings settings = Parse("--epochs", "7", "--config", path);

        Assert.Equal(7, settings.Epochs);
        Assert.Equal(64, settings.BatchSize);
    }

    [Fact]
    public void ConfigFile_BadValue_NamesKeyFileAndOption()
    {
        string path = WriteConfig("""{ "training": { "batchSize": -1 } }""");

        OptionException error = Assert.Throws<OptionException>(() => Parse("--config", path));

        Assert.Equal(
            $"Invalid value '-1' for training.batchSize in {Path.GetFileName(path)} (--batch-size): " +
            "expected an integer from 1 to 65536.",
            error.Message);
    }

    [Fact]
    public void ConfigFile_UnknownKey_SuggestsClosest()
    {
        string path = WriteConfig("""{ "training": { "batchSise": 3 } }""");

        OptionException error = Assert.Throws<OptionException>(() => Parse("--config", path));

        Assert.Equal(
            $"Unknown key 'training.batchSise' in configuration file '{Path.GetFileName(path)}'. " +
            "Did you mean 'training.batchSize'? docs/configuration.md lists every key.",
            error.Message);
    }

    [Fact]
    public void ConfigFile_NotJson_IsRejected()
    {
        string path = WriteConfig("{ shards: 2 ");

        OptionException error = Assert.Throws<OptionException>(() => Parse("--config", path));

        Assert.StartsWith($"Configuration file '{Path.GetFileName(path)}' is not valid JSON", error.Message);
    }

    [Fact]
    public void Catalog_NamesAndKeysAreUnique()
    {
        var options = TrainOptionCatalog.Options;

        Assert.Equal(options.Count, options.Select(o => o.Name).Distinct().Count());
        var paths = options.Where(o => o.ConfigPath is not null).Select(o => o.ConfigPath!.ToLowerInvariant()).ToList();
        Assert.Equal(paths.Count, paths.Distinct().Count());
        Assert.Equal(1, options.Count(o => o.ConfigPath is null));
    }

    [Fact]
    public void ConfigurationReference_ListsEveryOption()
    {
        string reference = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));

        foreach (OptionDefinition<TrainSettings> option in TrainOptionCatalog.Options)
        {
            Assert.Contains($"`{option.CommandLineName}", reference);
            if (option.ConfigPath is not null)
            {
                Assert.Contains($"`{option.ConfigPath}`", reference);
            }
        }
    }

    [Fact]
    public void ConfigurationReference_MatchesGeneratedTables()
    {
        string reference = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));

        Assert.Contains(HelpText.Markdown(TrainOptionCatalog.Options).Trim(), reference.ReplaceLineEndings("\n"));
    }

    private string WriteConfig(string text)
    {
        string path = Path.Combine(_directory.FullName, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static TrainSettings Parse(params string[] args) => TrainCommand.ParseSettings(args, TextWriter.Null)!;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ParamServer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("ParamServer.sln not found above the tests.");
    }
}
