using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ParamServer.Server.Tests.Checkpoints;

/// <summary>Collects every log entry so tests can assert on levels and event ids.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private readonly List<(int EventId, int Count, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyList<LogEntry> WithEventId(int id) => Entries.Where(e => e.EventId == id).ToArray();

    /// <summary>Completes once <paramref name="count"/> entries with <paramref name="eventId"/> were logged.</summary>
    public Task WaitForEventAsync(int eventId, int count = 1)
    {
        lock (_waiters)
        {
            if (WithEventId(eventId).Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventId, count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private void Add(LogEntry entry)
    {
        lock (_waiters)
        {
            Entries.Enqueue(entry);
            foreach (var waiter in _waiters.Where(w => w.EventId == entry.EventId).ToArray())
            {
                if (WithEventId(waiter.EventId).Count >= waiter.Count)
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    internal sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);

    private sealed class RecordingLogger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
