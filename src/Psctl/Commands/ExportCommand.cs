using ParamServer.Checkpoints;
using ParamServer.Psctl.Cli;

namespace ParamServer.Psctl.Commands;

/// <summary>
/// <c>psctl export</c>: combines shard checkpoints into one safetensors file. CHECKPOINT is either one or more
/// .psckpt files (one per shard of a job) or a checkpoint root directory, from which the newest version that
/// every shard has and that verifies on every shard is taken.
/// </summary>
public static class ExportCommand
{
    public const string Usage =
        "psctl export CHECKPOINT... --out FILE [--job ID] [--shards N] [--allow-mixed-versions]";

    private static readonly IReadOnlyList<OptionDefinition<ExportSettings>> Options =
        new OptionCatalogBuilder<ExportSettings>()
            .Group("Export")
            .Text("out", null, "FILE", "a file path", "none (required)", "safetensors file to write.",
                (s, v) => s.Output = v, v => v.Length > 0)
            .Text("job", null, "ID", "a job id", "the only job under the root",
                "Job to export when CHECKPOINT is a root directory.", (s, v) => s.JobId = v, v => v.Length > 0)
            .Int("shards", null, 1, 4096, "the only shard count on disk",
                "Shard count of the job when CHECKPOINT is a root directory.", (s, v) => s.Shards = v)
            .Flag("allow-mixed-versions", null, "false",
                "Accept shards at different versions; the metadata records the lowest version.",
                (s, v) => s.AllowMixedVersions = v)
            .Build();

    public static Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments<ExportSettings> parsed = CommandLineParser.Parse(args, Options, "export");
        if (parsed.HelpRequested)
        {
            context.Output.Write(HelpText.ForCommand("export", Usage, Options));
            return Task.FromResult(ExitCodes.Success);
        }

        var settings = new ExportSettings();
        parsed.ApplyTo(settings);
        if (parsed.Positionals.Count == 0 || settings.Output is null)
        {
            throw new OptionException($"'psctl export' needs CHECKPOINT and --out FILE. Usage: {Usage}");
        }

        IReadOnlyList<ShardCheckpoint> checkpoints = Load(parsed.Positionals, settings);
        SafetensorsExportResult result;
        try
        {
            result = SafetensorsExporter.Export(checkpoints, settings.Output, settings.AllowMixedVersions);
        }
        catch (ArgumentException ex)
        {
            // The files are not one checkpoint per shard of one job at one version. The exporter's message names
            // the mismatch; drop the parameter suffix ArgumentException adds and name the flag that relaxes it.
            string message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "");
            string hint = message.Contains("version", StringComparison.Ordinal)
                ? " Pass --allow-mixed-versions to export shards at different versions."
                : "";
            throw new InvalidDataException(message + hint, ex);
        }

        context.Output.WriteLine(
            $"Wrote {result.Path}: job '{checkpoints[0].JobId}', version {result.Version}, {result.Tensors} tensors, " +
            $"{result.Bytes} bytes.");
        return Task.FromResult(ExitCodes.Success);
    }

    private static IReadOnlyList<ShardCheckpoint> Load(IReadOnlyList<string> paths, ExportSettings settings)
    {
        if (paths.Count == 1 && Directory.Exists(paths[0]))
        {
            string root = paths[0];
            string jobId = settings.JobId ?? SingleJob(root);
            try
            {
                return CheckpointCatalog.LoadJob(root, jobId, settings.Shards, settings.AllowMixedVersions);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidDataException(ex.Message, ex);
            }
        }

        return paths.Select(path => File.Exists(path)
                ? CheckpointFile.Read(path)
                : throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path))
            .ToArray();
    }

    private static string SingleJob(string root)
    {
        string[] jobs = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().ToArray();
        return jobs.Length == 1
            ? Uri.UnescapeDataString(jobs[0])
            : throw new OptionException(
                $"{root} holds {jobs.Length} job directories ({string.Join(", ", jobs)}); choose one with --job ID.");
    }
}
