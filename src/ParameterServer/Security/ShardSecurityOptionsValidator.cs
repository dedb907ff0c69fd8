using System.Net;
using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;

namespace ParamServer.Server.Security;

/// <summary>Checks <see cref="ShardSecurityOptions"/> at start-up against each other and the shard's chunk
/// size.</summary>
internal sealed class ShardSecurityOptionsValidator : IValidateOptions<ShardSecurityOptions>
{
    /// <summary>Room for the protobuf framing of a chunk message beyond its payload.</summary>
    internal const int FramingBytes = 64 * 1024;

    private readonly IOptions<ShardOptions> _shard;

    public ShardSecurityOptionsValidator(IOptions<ShardOptions> shard) => _shard = shard;

    public ValidateOptionsResult Validate(string? name, ShardSecurityOptions options)
    {
        var failures = new List<string>();
        var shard = _shard.Value;

        long minMessageBytes = (long)shard.ChunkBytes + FramingBytes;
        if (options.MaxMessageBytes < minMessageBytes)
        {
            failures.Add($"Shard:MaxMessageBytes is {options.MaxMessageBytes}; expected at least {minMessageBytes} "
                + $"bytes, Shard:ChunkBytes ({shard.ChunkBytes}) plus {FramingBytes} bytes of framing.");
        }

        if (options.MaxStreamsPerConnection < 1)
        {
            failures.Add($"Shard:MaxStreamsPerConnection is {options.MaxStreamsPerConnection}; expected at least 1.");
        }

        if (!double.IsFinite(options.MaxCallSeconds) || options.MaxCallSeconds < 0)
        {
            failures.Add($"Shard:MaxCallSeconds is {options.MaxCallSeconds}; expected a finite number of seconds, "
                + "at least 0 (0 disables the limit).");
        }

        if (options.HealthPort is < -1 or > IPEndPoint.MaxPort)
        {
            failures.Add($"Shard:HealthPort is {options.HealthPort}; expected -1 (disabled), 0 (any free port) or a "
                + "TCP port up to 65535.");
        }
        else if (options.HealthPort > 0
            && (options.HealthPort == shard.Port || options.HealthPort == shard.MetricsPort))
        {
            failures.Add($"Shard:HealthPort is {options.HealthPort}, the same as Shard:Port or Shard:MetricsPort; "
                + "expected a port of its own.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
