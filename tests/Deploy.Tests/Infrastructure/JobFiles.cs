using Google.Protobuf;
using ParamServer.Protocol.V1;

namespace ParamServer.Deploy.Tests.Infrastructure;

/// <summary>The job spec that the compose file mounts and the Kubernetes ConfigMap embeds.</summary>
internal static class JobFiles
{
    public const string Path = "deploy/jobs/synthetic-mlp.json";

    /// <summary>Parses protobuf JSON as the shard's Shard:JobFile loader does.</summary>
    public static JobSpec Parse(string json) => JsonParser.Default.Parse<JobSpec>(json);

    public static JobSpec Load() => Parse(RepositoryFiles.ReadAllText(Path));
}
