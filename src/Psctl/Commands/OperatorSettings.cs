namespace ParamServer.Psctl.Commands;

/// <summary>Settings of the commands that talk to running shards (status, checkpoint, set-lr, evict, shutdown).</summary>
public sealed class OperatorSettings
{
    /// <summary>Environment variable holding the bearer token when --token is not given.</summary>
    public const string TokenVariable = "PARAMSERVER_TOKEN";

    public List<Uri> Servers { get; } = [];

    public string JobId { get; set; } = string.Empty;

    public string? Token { get; set; }

    public double TimeoutSeconds { get; set; } = 10;

    public bool Json { get; set; }

    public bool Watch { get; set; }

    public double IntervalSeconds { get; set; } = 2;

    public double? LearningRate { get; set; }

    public bool Clear { get; set; }

    public uint? WorkerId { get; set; }

    public string Reason { get; set; } = "evicted by operator";

    public bool Checkpoint { get; set; }

    /// <summary>The token from --token, else from $PARAMSERVER_TOKEN, else null.</summary>
    public string? EffectiveToken =>
        Token ?? (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : null);
}
