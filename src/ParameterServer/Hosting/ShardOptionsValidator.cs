using Microsoft.Extensions.Options;
using ParamServer.Transport;

namespace ParamServer.Server.Hosting;

/// <summary>Checks <see cref="ShardOptions"/> at start-up; every failure names the option, its value and the rule.</summary>
public sealed class ShardOptionsValidator : IValidateOptions<ShardOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardOptions options)
    {
        var failures = new List<string>();
        if (options.Count < 1)
        {
            failures.Add($"Shard:Count is {options.Count}; expected at least 1.");
        }

        if (options.Index < 0 || options.Index >= Math.Max(1, options.Count))
        {
            failures.Add($"Shard:Index is {options.Index}; expected a value in [0, Shard:Count = {options.Count}).");
        }

        if (!System.Net.IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"Shard:ListenAddress is '{options.ListenAddress}'; expected an IPv4 or IPv6 address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Shard:Port is {options.Port}; expected 0 (any free port) or a port in [1, 65535].");
        }

        if (options.MetricsPort is < -1 or > 65535)
        {
            failures.Add($"Shard:MetricsPort is {options.MetricsPort}; expected -1 (disabled), 0 or a port in [1, 65535].");
        }

        if (options.Port != 0 && options.MetricsPort == options.Port)
        {
            failures.Add($"Shard:MetricsPort equals Shard:Port ({options.Port}); expected different ports.");
        }

        if (options.ChunkBytes < 4 || options.ChunkBytes > FloatPayload.MaxChunkBytes || options.ChunkBytes % 4 != 0)
        {
            failures.Add(
                $"Shard:ChunkBytes is {options.ChunkBytes}; expected a multiple of 4 in [4, {FloatPayload.MaxChunkBytes}].");
        }

        if (!(options.HeartbeatTimeoutSeconds > 0) || double.IsInfinity(options.HeartbeatTimeoutSeconds))
        {
            failures.Add($"Shard:HeartbeatTimeoutSeconds is {options.HeartbeatTimeoutSeconds}; expected a finite value above 0.");
        }

        if (options.MaxWorkers < 1)
        {
            failures.Add($"Shard:MaxWorkers is {options.MaxWorkers}; expected at least 1.");
        }

        if (options.CheckpointEverySteps < 0)
        {
            failures.Add($"Shard:CheckpointEverySteps is {options.CheckpointEverySteps}; expected 0 (off) or more.");
        }

        if (options.CheckpointEverySeconds < 0 || double.IsNaN(options.CheckpointEverySeconds))
        {
            failures.Add($"Shard:CheckpointEverySeconds is {options.CheckpointEverySeconds}; expected 0 (off) or more.");
        }

        if (options.CheckpointKeep < 1)
        {
            failures.Add($"Shard:CheckpointKeep is {options.CheckpointKeep}; expected at least 1.");
        }

        if (!(options.ShutdownTimeoutSeconds >= 0))
        {
            failures.Add($"Shard:ShutdownTimeoutSeconds is {options.ShutdownTimeoutSeconds}; expected 0 or more.");
        }

        if (string.IsNullOrEmpty(options.Tls.CertificatePath) != string.IsNullOrEmpty(options.Tls.KeyPath))
        {
            failures.Add("Shard:Tls:CertificatePath and Shard:Tls:KeyPath must be set together; one of them is missing.");
        }

        if (!string.IsNullOrEmpty(options.Tls.ClientCaPath) && string.IsNullOrEmpty(options.Tls.CertificatePath))
        {
            failures.Add("Shard:Tls:ClientCaPath is set without Shard:Tls:CertificatePath; mutual TLS needs a server certificate.");
        }

        if (!string.IsNullOrEmpty(options.JobFile) && !File.Exists(options.JobFile))
        {
            failures.Add($"Shard:JobFile is '{options.JobFile}'; the file does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
