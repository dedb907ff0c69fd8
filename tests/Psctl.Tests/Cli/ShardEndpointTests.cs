using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Rpc;

namespace ParamServer.Psctl.Tests.Cli;

public sealed class ShardEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:50051", "http://127.0.0.1:50051/")]
    [InlineData("shard-0.shards:80", "http://shard-0.shards/")]
    [InlineData("https://shard.example:443", "https://shard.example/")]
    [InlineData("[::1]:7000", "http://[::1]:7000/")]
    public void Parse_AcceptsHostPortAndUrls(string text, string expected)
    {
        Assert.Equal(new Uri(expected), ShardEndpoint.Parse(text, "--server"));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:0")]
    [InlineData("localhost:70000")]
    [InlineData("ftp://host:21")]
    [InlineData("http://host:1/path")]
    public void Parse_RejectsOthers(string text)
    {
        OptionException error = Assert.Throws<OptionException>(() => ShardEndpoint.Parse(text, "--server"));

        Assert.Equal(
            $"Invalid value '{text}' for --server: expected HOST:PORT (port from 1 to 65535) or an http:// or " +
            "https:// URL.",
            error.Message);
    }

    [Fact]
    public void ParseList_KeepsOrder()
    {
        IReadOnlyList<Uri> endpoints = ShardEndpoint.ParseList("a:1, b:2", "--servers");

        Assert.Equal([new Uri("http://a:1"), new Uri("http://b:2")], endpoints);
    }
}
