namespace ParamServer.Worker.Kernels;

/// <summary>Parses the "Worker:Accelerator" setting.</summary>
public static class AcceleratorPreferences
{
    /// <summary>Accepted spellings, case-insensitive.</summary>
    public const string AllowedValues = "auto|cuda|opencl|cpu";

    /// <summary>Parses "auto", "cuda", "opencl" or "cpu" (any case); null or blank means auto.</summary>
    /// <exception cref="ArgumentException">The value is none of the accepted names; the message quotes it.</exception>
    public static AcceleratorPreference Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return AcceleratorPreference.Auto;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "auto" => AcceleratorPreference.Auto,
            "cuda" => AcceleratorPreference.Cuda,
            "opencl" => AcceleratorPreference.OpenCL,
            "cpu" => AcceleratorPreference.Cpu,
            _ => throw new ArgumentException(
                $"Accelerator is '{value}'; expected one of {AllowedValues}.", nameof(value)),
        };
    }
}
