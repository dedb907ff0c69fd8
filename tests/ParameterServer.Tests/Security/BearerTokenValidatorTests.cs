using Grpc.Core;
using ParamServer.Server.Security;

namespace ParamServer.Server.Tests.Security;

public sealed class BearerTokenValidatorTests
{
    private readonly BearerTokenValidator _validator = new("abc123");

    [Theory]
    [InlineData("Bearer abc123", StatusCode.OK)]
    [InlineData("bearer abc123", StatusCode.OK)]
    [InlineData("Bearer  abc123 ", StatusCode.OK)]
    [InlineData("Bearer abc1234", StatusCode.PermissionDenied)]
    [InlineData("Bearer abc12", StatusCode.PermissionDenied)]
    [InlineData("Bearer ABC123", StatusCode.PermissionDenied)]
    [InlineData("Bearer ", StatusCode.Unauthenticated)]
    [InlineData("Basic abc123", StatusCode.Unauthenticated)]
    [InlineData("abc123", StatusCode.Unauthenticated)]
    public void Validate_Header_ReturnsCode(string header, StatusCode expected)
    {
        var code = _validator.Validate(new Metadata { { "authorization", header } }, out var reason);

        Assert.Equal(expected, code);
        Assert.DoesNotContain("abc", reason);
    }

    [Fact]
    public void Validate_NoHeader_Unauthenticated()
    {
        var code = _validator.Validate(new Metadata(), out _);

        Assert.Equal(StatusCode.Unauthenticated, code);
    }

    [Fact]
    public void StateChanging_ListsOperatorWrites_NotGetStatus()
    {
        Assert.Equal(
            new[]
            {
                "/paramserver.v1.ShardOperator/Checkpoint",
                "/paramserver.v1.ShardOperator/EvictWorker",
                "/paramserver.v1.ShardOperator/SetLearningRate",
                "/paramserver.v1.ShardOperator/Shutdown",
            },
            OperatorMethods.StateChanging.Order(StringComparer.Ordinal));
    }
}
