using System.Text;
using ParamServer.Psctl.Cli;

namespace ParamServer.Psctl.Commands;

/// <summary>Help screens and the Markdown configuration reference, generated from the option catalogs.</summary>
public static class HelpText
{
    public const string General = """
        psctl: run a local ParamServer training cluster, and query and steer running shards.

        Usage: psctl COMMAND [options]

        Commands:
          train        Start shards and workers on this machine, train on MNIST, write the model and a chart.
          status       Show shard status: versions, learning rates, pushes, workers, joins and evictions.
          checkpoint   Ask shards to write a checkpoint now.
          set-lr       Override the learning rate of a job, or clear the override.
          evict        Evict a worker from a job.
          shutdown     Stop shards, optionally after a checkpoint.
          export       Convert a shard checkpoint into a safetensors file.
          data         Fetch and verify the MNIST files without training.
          options      Print the configuration reference of 'psctl train' (Markdown with --markdown).

        Run 'psctl COMMAND --help' for a command's options.
        Operator commands send 'authorization: Bearer TOKEN' from --token or $PARAMSERVER_TOKEN.

        """;

    /// <summary>Lists a command's options under their group headings.</summary>
    public static string ForCommand<T>(string command, string usage, IReadOnlyList<OptionDefinition<T>> options)
    {
        var text = new StringBuilder();
        text.Append("Usage: ").Append(usage).Append("\n");
        foreach (IGrouping<string, OptionDefinition<T>> group in options.GroupBy(o => o.Group))
        {
            text.Append('\n').Append(group.Key).Append(":\n");
            foreach (OptionDefinition<T> option in group)
            {
                string name = option.IsFlag ? option.CommandLineName : $"{option.CommandLineName} {option.ValueName}";
                text.Append("  ").Append(name.PadRight(34)).Append(' ').Append(option.Help);
                text.Append(" Default: ").Append(option.DefaultText).Append(".\n");
            }
        }

        text.Append('\n').Append("Run 'psctl ").Append(command).Append(" --help' to see this list again.\n");
        return text.ToString();
    }

    /// <summary>
    /// Renders the options as Markdown tables, one per group: command-line name, configuration-file key,
    /// accepted values, default and meaning.
    /// </summary>
    public static string Markdown<T>(IReadOnlyList<OptionDefinition<T>> options)
    {
        var text = new StringBuilder();
        foreach (IGrouping<string, OptionDefinition<T>> group in options.GroupBy(o => o.Group))
        {
            text.Append("### ").Append(group.Key).Append("\n\n");
            text.Append("| Option | Config key | Accepted values | Default | Meaning |\n");
            text.Append("|---|---|---|---|---|\n");
            foreach (OptionDefinition<T> option in group)
            {
                string name = option.IsFlag ? option.CommandLineName : $"{option.CommandLineName} {option.ValueName}";
                text.Append("| `").Append(Escape(name)).Append("` | ")
                    .Append(option.ConfigPath is null ? "(command line only)" : $"`{option.ConfigPath}`").Append(" | ")
                    .Append(Escape(option.Accepted)).Append(" | ")
                    .Append(Escape(option.DefaultText)).Append(" | ")
                    .Append(Escape(option.Help)).Append(" |\n");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
