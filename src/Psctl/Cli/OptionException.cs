namespace ParamServer.Psctl.Cli;

/// <summary>
/// A command-line or configuration-file value that was rejected. The message names the option, the value
/// received and the accepted range; psctl prints it and exits with status 2.
/// </summary>
public sealed class OptionException : Exception
{
    public OptionException(string message)
        : base(message)
    {
    }

    public OptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
