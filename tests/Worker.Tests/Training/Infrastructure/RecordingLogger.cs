using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ParamServer.Worker.Tests.Training.Infrastructure;

/// <summary>A logger that keeps every entry and signals the first entry of a watched event id.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _watches = new();

    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> Entries { get; } = new();

    /// <summary>Completes when an entry with <paramref name="eventId"/> is logged.</summary>
    public Task WhenLogged(int eventId) =>
        _watches.GetOrAdd(eventId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public int Count(int eventId) => Entries.Count(e => e.Id.Id == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        Entries.Enqueue((eventId, logLevel, formatter(state, exception)));
        _watches.GetOrAdd(eventId.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();
    }
}
