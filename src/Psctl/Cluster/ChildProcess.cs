using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ParamServer.Psctl.Logging;

namespace ParamServer.Psctl.Cluster;

/// <summary>
/// A shard or worker process started by psctl. Its standard output and error go, line by line, to a log file
/// and to <see cref="LineReceived"/>. Every live child is also tracked process-wide, so that psctl's exit
/// handler can kill any process tree that an exception or a signal left behind.
/// NOTE: a psctl killed with SIGKILL runs no handler, so its children keep running. The local cluster lists every
/// child's name and pid in the file "pids" of its run directory, for cleaning up by hand.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Live = new();

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _tail = new();
    private bool _stopping;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ChildProcess(string name, Process process, StreamWriter log, string logPath, ILogger logger)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        _logger = logger;
    }

    /// <summary>Raised for every line the process writes to standard output or error, on a thread-pool thread.</summary>
    public event Action<ChildProcess, string>? LineReceived;

    /// <summary>Display name, such as "shard-0" or "worker-1".</summary>
    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Completes with the exit code when the process exits.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> and extra environment variables.</summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string logPath,
        ILogger logger)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(logPath) ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string? value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log, logPath, logger);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child.OnExited();
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        Live[process.Id] = child;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        PsctlLog.ProcessStarted(logger, name, process.Id, logPath);
        return child;
    }

    /// <summary>The last lines the process wrote (up to 40), for error messages.</summary>
    public string Tail()
    {
        lock (_logLock)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>
    /// Stops the process: SIGTERM first, so it can deregister or checkpoint, then a kill of the whole process
    /// tree if it has not exited within <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (HasExited)
        {
            return;
        }

        _stopping = true;
        if (grace > TimeSpan.Zero && ProcessSignals.TryTerminate(_process.Id))
        {
            try
            {
                await _exited.Task.WaitAsync(grace);
                return;
            }
            catch (TimeoutException)
            {
                PsctlLog.ProcessStopTimedOut(_logger, Name, _process.Id, grace.TotalSeconds);
            }
        }

        Kill();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            PsctlLog.ProcessKillTimedOut(_logger, Name, _process.Id);
        }
    }

    /// <summary>Kills the process and its descendants at once (SIGKILL on Unix), as a crash would end it.</summary>
    public void Kill()
    {
        _stopping = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // The process has already exited.
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            PsctlLog.ProcessKillFailed(_logger, Name, _process.Id, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        lock (_logLock)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }

    /// <summary>Number of child processes started by this process that have not exited yet.</summary>
    public static int LiveCount => Live.Count;

    /// <summary>Kills every child process tree that is still running; called when psctl exits.</summary>
    public static void KillAll()
    {
        foreach (ChildProcess child in Live.Values)
        {
            child.Kill();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }

        LineReceived?.Invoke(this, line);
    }

    private void OnExited()
    {
        // Exited can fire before the last output lines are read; WaitForExit() drains the redirected streams.
        _process.WaitForExit();
        int code = _process.ExitCode;
        Live.TryRemove(_process.Id, out _);
        if (_stopping || code == 0)
        {
            PsctlLog.ProcessExited(_logger, Name, _process.Id, code);
        }
        else
        {
            PsctlLog.ProcessFailed(_logger, Name, _process.Id, code, LogPath);
        }

        _exited.TrySetResult(code);
    }
}
