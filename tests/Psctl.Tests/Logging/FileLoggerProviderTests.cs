using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Logging;

namespace ParamServer.Psctl.Tests.Logging;

public sealed class FileLoggerProviderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("psctl-log-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Log_WritesEntriesAtOrAboveMinimum()
    {
        string path = Path.Combine(_directory.FullName, "psctl.log");
        using (var provider = new FileLoggerProvider(path, LogLevel.Information))
        {
            ILogger logger = provider.CreateLogger("Test");
            logger.LogDebug(new EventId(1), "hidden");
            logger.LogInformation(new EventId(6010), "Started {Name}", "shard-0");
            logger.LogError(new EventId(6012), new InvalidOperationException("boom"), "Failed");
        }

        string[] lines = File.ReadAllLines(path);
        Assert.EndsWith(" Information Test[6010] Started shard-0", lines[0]);
        Assert.EndsWith(" Error Test[6012] Failed", lines[1]);
        Assert.Equal("System.InvalidOperationException: boom", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Log_AfterDispose_IsDropped()
    {
        string path = Path.Combine(_directory.FullName, "late.log");
        var provider = new FileLoggerProvider(path, LogLevel.Information);
        ILogger logger = provider.CreateLogger("Test");
        provider.Dispose();

        logger.LogWarning("after the run");

        Assert.Empty(File.ReadAllLines(path));
    }
}
