namespace ParamServer.Psctl.Cli;

/// <summary>One value given for an option, with where it came from for error messages.</summary>
/// <param name="Source">"--batch-size" on the command line, or "training.batchSize in run.json".</param>
public sealed record OptionOccurrence<TSettings>(OptionDefinition<TSettings> Option, string Value, string Source)
{
    /// <summary>Applies the value to <paramref name="settings"/>, turning a parse failure into an option error.</summary>
    /// <exception cref="OptionException">The value is not accepted; the message names the option and the range.</exception>
    public void ApplyTo(TSettings settings)
    {
        try
        {
            Option.Apply(settings, Value);
        }
        catch (FormatException ex)
        {
            throw new OptionException(
                $"Invalid value '{Value}' for {Source}: expected {Option.Accepted}.", ex);
        }
    }
}
