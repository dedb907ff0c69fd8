namespace ParamServer.Server.Security;

/// <summary>
/// Marks connections accepted on the health-only endpoint (<see cref="ShardSecurityOptions.HealthPort"/>), so that
/// <see cref="HealthOnlyInterceptor"/> can restrict them to the gRPC health service.
/// </summary>
internal static class HealthOnlyEndpoint
{
    /// <summary>Key of the connection item that marks a health-only connection.</summary>
    public static readonly object ConnectionItemKey = new();

    /// <summary>Prefix of the gRPC health service's method paths.</summary>
    public const string HealthServicePrefix = "/grpc.health.v1.Health/";
}
