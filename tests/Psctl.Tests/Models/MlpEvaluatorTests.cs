using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Models;

namespace ParamServer.Psctl.Tests.Models;

public sealed class MlpEvaluatorTests
{
    [Fact]
    public void Evaluate_IdentityLayer_PredictsLargestInput()
    {
        // One dense layer 2 -> 2 with the identity weight and zero bias: logits equal the inputs.
        FinalModel model = Model([2, 2], [1, 0, 0, 1, 0, 0]);
        float[] inputs = [3, 1, 0, 2, 5, 4];
        byte[] labels = [0, 1, 1];

        (double accuracy, double loss) = MlpEvaluator.Evaluate(model, inputs, labels, 3);

        Assert.Equal(2.0 / 3.0, accuracy, 12);
        // Cross-entropy -log softmax(x)[label] = log(1 + e^-|d|) for a right and log(1 + e^|d|) for a wrong answer.
        double expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(1))) / 3;
        Assert.Equal(expected, loss, 6);
    }

    [Fact]
    public void Evaluate_HiddenLayer_AppliesRelu()
    {
        // 1 -> 1 -> 2: hidden h = relu(-x); logits = [h, 0.5]. For x = 1, h = 0, so class 1 wins.
        FinalModel model = Model([1, 1, 2], [-1, 0, 1, 0, 0, 0.5f]);

        (double accuracy, _) = MlpEvaluator.Evaluate(model, [1f, -2f], [1, 0], 2);

        Assert.Equal(1.0, accuracy);
    }

    private static FinalModel Model(int[] layers, float[] parameters) =>
        new(new JobSpec { JobId = "test", Model = MlpModel.CreateSpec(layers, 1) }, parameters, version: 7);
}
