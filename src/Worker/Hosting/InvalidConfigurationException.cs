namespace ParamServer.Worker.Hosting;

/// <summary>A configured value cannot be used, such as a job file that does not parse.</summary>
public sealed class InvalidConfigurationException : Exception
{
    public InvalidConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
