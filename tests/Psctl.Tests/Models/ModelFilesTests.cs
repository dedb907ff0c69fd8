using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ParamServer.Model;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Models;

namespace ParamServer.Psctl.Tests.Models;

public sealed class ModelFilesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("psctl-model-");

    public void Dispose() => _directory.Delete(recursive: true);

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

    [Fact]
    public void Safetensors_HeaderAndDataMatchLayout()
    {
        float[] parameters = Enumerable.Range(0, 6).Select(i => i * 0.5f).ToArray();
        FinalModel model = Model([2, 2], parameters);
        string path = Path.Combine(_directory.FullName, "model.safetensors");

        SafetensorsWriter.Write(model, path);

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        JsonElement weight = header.RootElement.GetProperty("dense0.weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal([2L, 2L], weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([0L, 16L], weight.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([16L, 24L],
            header.RootElement.GetProperty("dense0.bias").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("7", header.RootElement.GetProperty("__metadata__").GetProperty("version").GetString());
        Assert.Equal(8 + headerLength + 24, bytes.Length);
        float[] data = new float[6];
        Buffer.BlockCopy(bytes, (int)(8 + headerLength), data, 0, 24);
        Assert.Equal(parameters, data);
    }

    private static FinalModel Model(int[] layers, float[] parameters) =>
        new(new JobSpec { JobId = "test", Model = MlpModel.CreateSpec(layers, 1) }, parameters, version: 7);
}
