using Microsoft.Extensions.Logging;

namespace ParamServer.Psctl.Commands;

/// <summary>What every command gets: output streams, logging, time and the cancellation raised by Ctrl-C or SIGTERM.</summary>
public sealed record CommandContext(
    TextWriter Output,
    TextWriter Error,
    ILoggerFactory LoggerFactory,
    TimeProvider Time,
    bool Interactive,
    CancellationToken Cancellation);
