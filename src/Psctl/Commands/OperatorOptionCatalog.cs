using ParamServer.Psctl.Cli;
using ParamServer.Psctl.Rpc;

namespace ParamServer.Psctl.Commands;

/// <summary>Options of the operator commands; each command accepts the subset it lists.</summary>
public static class OperatorOptionCatalog
{
    public static IReadOnlyList<OptionDefinition<OperatorSettings>> All { get; } = Create();

    /// <summary>Returns the definitions named in <paramref name="names"/>, plus the connection options every command takes.</summary>
    public static IReadOnlyList<OptionDefinition<OperatorSettings>> For(params string[] names)
    {
        string[] common = ["server", "servers", "job", "token", "timeout"];
        return All.Where(o => common.Contains(o.Name) || names.Contains(o.Name)).ToArray();
    }

    private static IReadOnlyList<OptionDefinition<OperatorSettings>> Create() =>
        new OptionCatalogBuilder<OperatorSettings>()
            .Group("Connection")
            .Text("server", null, "HOST:PORT", "HOST:PORT or an http(s) URL", "none",
                "One shard to talk to; may be repeated.", (s, v) => s.Servers.Add(ShardEndpoint.Parse(v, "--server")))
            .Text("servers", null, "A,B,...", "comma-separated HOST:PORT or URLs in shard-index order", "none",
                "Every shard of a cluster.", (s, v) => s.Servers.AddRange(ShardEndpoint.ParseList(v, "--servers")))
            .Text("job", null, "ID", "a job id", "all jobs (status) or the shard's only job",
                "Job to show or act on.", (s, v) => s.JobId = v)
            .Text("token", null, "TOKEN", "a non-empty string", "$PARAMSERVER_TOKEN",
                "Bearer token sent as 'authorization: Bearer TOKEN'.", (s, v) => s.Token = v, v => v.Length > 0)
            .Double("timeout", null, 0, 3600, "10", "Deadline of each call, in seconds.", (s, v) => s.TimeoutSeconds = v,
                minExclusive: true, valueName: "SECONDS")
            .Group("Output")
            .Flag("json", null, "false", "Print the status replies as JSON (proto3 JSON mapping).", (s, v) => s.Json = v)
            .Flag("watch", null, "false", "Refresh until Ctrl-C.", (s, v) => s.Watch = v)
            .Double("interval", null, 0.1, 3600, "2", "Seconds between refreshes with --watch.",
                (s, v) => s.IntervalSeconds = v, valueName: "SECONDS")
            .Group("Actions")
            .Double("lr", null, 0, 100, "none", "Learning rate to set.", (s, v) => s.LearningRate = v, valueName: "RATE")
            .Flag("clear", null, "false", "Remove the learning-rate override and return to the schedule.",
                (s, v) => s.Clear = v)
            .Long("worker", null, 1, uint.MaxValue, "none", "Worker id to evict.", (s, v) => s.WorkerId = (uint)v)
            .Text("reason", null, "TEXT", "any text", "evicted by operator", "Reason recorded with the eviction.",
                (s, v) => s.Reason = v)
            .Flag("checkpoint", null, "false", "Write a checkpoint of every job before the shard stops.",
                (s, v) => s.Checkpoint = v)
            .Build();
}
