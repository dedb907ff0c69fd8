using System.Net.Http.Headers;

namespace ParamServer.Worker.Security;

/// <summary>
/// Adds <c>authorization: Bearer TOKEN</c> to every HTTP/2 request of a gRPC channel. It works at the HTTP level
/// because gRPC call credentials are refused on plain-text channels, and a trusted network without TLS is a
/// supported set-up.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header;

    public BearerTokenHandler(string token, HttpMessageHandler inner)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _header = new AuthenticationHeaderValue("Bearer", token);
    }

    protected override Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _header;
        return base.SendAsync(request, cancellationToken);
    }
}
