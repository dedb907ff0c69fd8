namespace ParamServer.Psctl.Commands;

/// <summary>Settings of <c>psctl export</c>.</summary>
public sealed class ExportSettings
{
    public string? Output { get; set; }

    public string? JobId { get; set; }

    public int? Shards { get; set; }

    public bool AllowMixedVersions { get; set; }
}
