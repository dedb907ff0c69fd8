namespace ParamServer.Server.Tests.Infrastructure;

internal static class TestTimeouts
{
    /// <summary>Bound on every await in these tests; a hang fails the test instead of the run.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>Wait used to show that something does not happen, for example a step that must stay pending.</summary>
    public static readonly TimeSpan Absence = TimeSpan.FromMilliseconds(300);
}
