using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace ParamServer.Server.Security;

/// <summary>
/// Checks the <c>authorization: Bearer TOKEN</c> header of a call against the configured token. The comparison
/// hashes both sides with SHA-256 and compares the digests in constant time, so neither the content nor the length
/// of the expected token leaks through timing.
/// </summary>
internal sealed class BearerTokenValidator
{
    private const string Scheme = "Bearer ";

    private readonly byte[] _expectedDigest;

    public BearerTokenValidator(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>
    /// Validates the metadata of one call. Returns <see cref="StatusCode.OK"/> for the right token,
    /// <see cref="StatusCode.Unauthenticated"/> when no bearer token was sent and
    /// <see cref="StatusCode.PermissionDenied"/> when a different token was sent; <paramref name="reason"/> describes
    /// the outcome without quoting any token.
    /// </summary>
    public StatusCode Validate(Metadata headers, out string reason)
    {
        var header = headers.GetValue("authorization");
        if (string.IsNullOrEmpty(header))
        {
            reason = "the call has no authorization header";
            return StatusCode.Unauthenticated;
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            reason = "the authorization header is not of the form 'Bearer TOKEN'";
            return StatusCode.Unauthenticated;
        }

        var presentedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(Scheme.Length).Trim().ToString()));
        if (!CryptographicOperations.FixedTimeEquals(presentedDigest, _expectedDigest))
        {
            reason = "the bearer token does not match Shard:AuthToken";
            return StatusCode.PermissionDenied;
        }

        reason = "authenticated";
        return StatusCode.OK;
    }
}
