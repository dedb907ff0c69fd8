using System.Net;
using Microsoft.Extensions.Options;

namespace ParamServer.Server.Security;

/// <summary>
/// Checks <see cref="ShardSecurityOptions"/> at start-up, so that a missing certificate file or an impossible limit
/// stops the shard before it listens instead of failing the first connection.
/// </summary>
internal sealed class ShardSecurityOptionsValidator : IValidateOptions<ShardSecurityOptions>
{
    /// <summary>Smallest accepted <see cref="ShardSecurityOptions.MaxMessageBytes"/>: one 1 MiB chunk plus framing.</summary>
    internal const int MinMessageBytes = 1024 * 1024 + 64 * 1024;

    public ValidateOptionsResult Validate(string? name, ShardSecurityOptions options)
    {
        var failures = new List<string>();
        var tls = options.Tls;

        if (tls.Enabled)
        {
            RequireFile(failures, "Shard:Tls:CertificatePath", tls.CertificatePath);
            if (string.IsNullOrWhiteSpace(tls.KeyPath))
            {
                failures.Add("Shard:Tls:KeyPath is missing; it is required when Shard:Tls:CertificatePath is set.");
            }
            else
            {
                RequireFile(failures, "Shard:Tls:KeyPath", tls.KeyPath);
            }
        }
        else if (!string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            failures.Add($"Shard:Tls:KeyPath is '{tls.KeyPath}' but Shard:Tls:CertificatePath is missing; set both.");
        }

        if (tls.MutualTls)
        {
            if (!tls.Enabled)
            {
                failures.Add($"Shard:Tls:ClientCaPath is '{tls.ClientCaPath}' but Shard:Tls:CertificatePath is "
                    + "missing; mutual TLS needs a server certificate.");
            }

            RequireFile(failures, "Shard:Tls:ClientCaPath", tls.ClientCaPath);
        }

        if (options.AuthToken is { } token && token.Length > 0 && string.IsNullOrWhiteSpace(token))
        {
            failures.Add("Shard:AuthToken consists of white space only; set a real token or leave it empty.");
        }

        if (options.MaxMessageBytes < MinMessageBytes)
        {
            failures.Add($"Shard:MaxMessageBytes is {options.MaxMessageBytes}; expected at least {MinMessageBytes} "
                + "bytes, so that a 1 MiB chunk and its framing fit in one message.");
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

        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"Shard:ListenAddress is '{options.ListenAddress}'; expected an IPv4 or IPv6 address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireFile(List<string> failures, string option, string? path)
    {
        if (!File.Exists(path))
        {
            failures.Add($"{option} is '{path}', which is not a readable file; expected a PEM file.");
        }
    }
}
