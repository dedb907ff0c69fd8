using Microsoft.Extensions.Options;
using ParamServer.Server.Hosting;

namespace ParamServer.Server.Security;

/// <summary>
/// Checks at start-up that the PEM files named by <see cref="ShardOptions.Tls"/> exist, so that a wrong path stops
/// the shard before it listens instead of failing the first TLS handshake. Pairing rules are checked by
/// <see cref="ShardOptionsValidator"/>.
/// </summary>
internal sealed class ShardTlsFilesValidator : IValidateOptions<ShardOptions>
{
    public ValidateOptionsResult Validate(string? name, ShardOptions options)
    {
        var failures = new List<string>();
        RequireFile(failures, "Shard:Tls:CertificatePath", options.Tls.CertificatePath);
        RequireFile(failures, "Shard:Tls:KeyPath", options.Tls.KeyPath);
        RequireFile(failures, "Shard:Tls:ClientCaPath", options.Tls.ClientCaPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireFile(List<string> failures, string option, string? path)
    {
        if (!string.IsNullOrEmpty(path) && !File.Exists(path))
        {
            failures.Add($"{option} is '{path}', which is not a readable file; expected a PEM file.");
        }
    }
}
