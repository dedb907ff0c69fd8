using ParamServer.Worker.Hosting;

namespace ParamServer.Worker.Tests.Training;

public sealed class WorkerOptionsValidatorTests
{
    private static WorkerOptions Valid() => new() { JobId = "mnist", Shards = "http://127.0.0.1:50051,127.0.0.1:50052" };

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new WorkerOptionsValidator().Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_BadOptions_NameEachFailure()
    {
        WorkerOptions options = Valid();
        options.JobId = " ";
        options.Accelerator = "tpu";
        options.ChunkBytes = 100;
        options.CallTimeoutSeconds = 0;
        options.BreakerFailureRatio = 1.5;
        options.BreakerMinimumThroughput = 1;
        options.MaxRetries = -1;

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string[] failures = result.Failures!.ToArray();
        Assert.Equal(7, failures.Length);
        Assert.Contains("Worker:JobId is empty; expected the id of the job to train, such as --Worker:JobId=mnist.", failures);
        Assert.Contains("Worker:Accelerator is 'tpu'; expected one of auto, cuda, opencl, cpu.", failures);
        Assert.Contains("Worker:ChunkBytes is 100; expected 4096 to 4128768.", failures);
        Assert.Contains("Worker:CallTimeoutSeconds is 0; expected more than 0 and at most 3600.", failures);
        Assert.Contains("Worker:BreakerFailureRatio is 1.5; expected a ratio in (0, 1].", failures);
        Assert.Contains("Worker:BreakerMinimumThroughput is 1; expected 2 to 100000.", failures);
        Assert.Contains("Worker:MaxRetries is -1; expected 0 to 1000.", failures);
    }

    [Fact]
    public void Validate_NoShards_Fails()
    {
        WorkerOptions options = Valid();
        options.Shards = null;

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("Worker:Shards and Worker:ShardsDns are both empty", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:50051,,http://127.0.0.1:50052", "Worker:Shards entry 1 is empty")]
    [InlineData("ftp://host:21", "Worker:Shards entry 0 is 'ftp://host:21'")]
    [InlineData("hostwithoutport", "Worker:Shards entry 0 is 'hostwithoutport'")]
    public void Validate_BadShardEntry_NamesEntry(string shards, string expectedStart)
    {
        WorkerOptions options = Valid();
        options.Shards = shards;

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("shards")]
    [InlineData("shards:0")]
    [InlineData("shards:70000")]
    public void Validate_BadDnsName_Fails(string dns)
    {
        WorkerOptions options = Valid();
        options.Shards = null;
        options.ShardsDns = dns;

        var result = new WorkerOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith($"Worker:ShardsDns is '{dns}'", StringComparison.Ordinal));
    }
}
