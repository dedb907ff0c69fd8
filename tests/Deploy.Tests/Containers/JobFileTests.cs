using ParamServer.Deploy.Tests.Infrastructure;
using ParamServer.Model;

namespace ParamServer.Deploy.Tests.Containers;

public sealed class JobFileTests
{
    [Fact]
    public void JobFile_Model_MatchesTrainingSpec()
    {
        var job = JobFiles.Load();

        var layers = MlpModel.LayerSizesOf(job.Model);

        Assert.Equal("synthetic-mlp", job.JobId);
        Assert.Equal(job.Training.LayerSizes, layers);
        Assert.Equal(job.Training.Synthetic.Features, layers[0]);
        Assert.Equal(job.Training.Synthetic.Classes, layers[^1]);
        Assert.Equal("synthetic", job.Training.Dataset);
    }
}
