using ParamServer.Model;
using ParamServer.Protocol.V1;

namespace ParamServer.Core.Tests;

public class ModelLayoutTests
{
    [Fact]
    public void Create_Mlp_OffsetsConcatenateTensors()
    {
        ModelLayout layout = ModelLayout.Create(MlpModel.CreateSpec([3, 4, 2], seed: 7));

        Assert.Equal(new long[] { 0, 12, 16, 24 }, layout.Tensors.Select(t => t.Offset).ToArray());
        Assert.Equal(26, layout.TotalElements);
        Assert.Equal(16, layout["dense1.weight"].Offset);
    }

    [Fact]
    public void Create_DuplicateName_NamesTensorInMessage()
    {
        var model = new ModelSpec
        {
            Tensors =
            {
                new TensorSpec { Name = "w", Shape = { 2 } },
                new TensorSpec { Name = "w", Shape = { 3 } },
            },
        };

        ArgumentException error = Assert.Throws<ArgumentException>(() => ModelLayout.Create(model));

        Assert.Contains("model.tensors[1].name 'w' is a duplicate", error.Message);
    }

    [Fact]
    public void Create_ZeroDimension_NamesDimensionAndValue()
    {
        var model = new ModelSpec { Tensors = { new TensorSpec { Name = "w", Shape = { 2, 0 } } } };

        ArgumentException error = Assert.Throws<ArgumentException>(() => ModelLayout.Create(model));

        Assert.Contains("model.tensors[0].shape[1] of 'w' is 0", error.Message);
    }

    [Fact]
    public void Create_EmptyModel_Throws()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ModelLayout.Create(new ModelSpec()));

        Assert.Contains("model.tensors is empty", error.Message);
    }

    [Fact]
    public void LayerSizesOf_CreatedSpec_RoundTrips()
    {
        int[] sizes = MlpModel.LayerSizesOf(MlpModel.CreateSpec([784, 256, 128, 10], seed: 3));

        Assert.Equal(new[] { 784, 256, 128, 10 }, sizes);
    }

    [Fact]
    public void LayerSizesOf_BiasShapeMismatch_Throws()
    {
        ModelSpec model = MlpModel.CreateSpec([3, 4, 2], seed: 3);
        model.Tensors[1].Shape[0] = 5;

        ArgumentException error = Assert.Throws<ArgumentException>(() => MlpModel.LayerSizesOf(model));

        Assert.Contains("expected 'dense0.bias' of shape [4]", error.Message);
    }
}
