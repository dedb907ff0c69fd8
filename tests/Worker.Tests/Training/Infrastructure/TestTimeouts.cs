namespace ParamServer.Worker.Tests.Training.Infrastructure;

internal static class TestTimeouts
{
    /// <summary>Bound on every await in these tests; a hang fails the test instead of the run.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);
}
