using ParamServer.Deploy.Tests.Infrastructure;

namespace ParamServer.Deploy.Tests.Kubernetes;

/// <summary>The parsed Kubernetes manifests under deploy/kubernetes, looked up by kind and name.</summary>
internal static class Manifests
{
    public const string Root = "deploy/kubernetes";
    public const string Base = Root + "/base";
    public const string TlsOverlay = Root + "/overlays/tls";

    /// <summary>Every YAML file under deploy/kubernetes, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files { get; } = Directory
        .EnumerateFiles(RepositoryFiles.PathOf(Root), "*.yaml", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    public static YamlValue BaseKustomization => YamlValue.Load($"{Base}/kustomization.yaml");

    public static string Namespace => BaseKustomization["namespace"].Text;

    public static YamlValue StatefulSet => Resource(Base, "StatefulSet", "paramserver-shard");

    public static YamlValue ShardContainer => Container(StatefulSet, "shard");

    public static YamlValue HeadlessService => Resource(Base, "Service", "paramserver-shard");

    public static YamlValue WorkerDeployment => Resource(Base, "Deployment", "paramserver-worker");

    public static YamlValue WorkerContainer => Container(WorkerDeployment, "worker");

    public static YamlValue Settings => Resource(Base, "ConfigMap", "paramserver-settings");

    /// <summary>The single document of <paramref name="kind"/> and <paramref name="name"/> among the folder's
    /// resources.</summary>
    public static YamlValue Resource(string folder, string kind, string name) => Files
        .Where(file => file.StartsWith(folder + "/", StringComparison.Ordinal))
        .SelectMany(YamlValue.LoadAll)
        .Single(document => document.Has("kind") && document["kind"].Text == kind
            && document["metadata"]["name"].Text == name);

    public static YamlValue Container(YamlValue workload, string name) =>
        workload["spec"]["template"]["spec"]["containers"].Items.Single(container => container["name"].Text == name);

    /// <summary>The <c>env</c> entries of a container as name and value; values from secrets read as empty.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlValue container) =>
        container.Has("env")
            ? container["env"].Items.ToDictionary(
                variable => variable["name"].Text,
                variable => variable.Has("value") ? variable["value"].Text : "")
            : new Dictionary<string, string>();

    /// <summary>A container's environment as the kubelet builds it: envFrom ConfigMaps first, then env on
    /// top.</summary>
    public static IReadOnlyDictionary<string, string> EffectiveEnvironment(YamlValue container)
    {
        var effective = new Dictionary<string, string>(StringComparer.Ordinal);
        if (container.Has("envFrom"))
        {
            foreach (var source in container["envFrom"].Items)
            {
                var configMap = Resource(Base, "ConfigMap", source["configMapRef"]["name"].Text);
                foreach (var (key, value) in configMap["data"].Entries)
                {
                    effective[key] = value.Text;
                }
            }
        }

        foreach (var (key, value) in Environment(container))
        {
            effective[key] = value;
        }

        return effective;
    }

    public static int ContainerPort(YamlValue container, string portName) =>
        container["ports"].Items.Single(port => port["name"].Text == portName)["containerPort"].Int;

    /// <summary>Whether every label of the selector is on the labels mapping.</summary>
    public static bool Selects(YamlValue selector, YamlValue labels) =>
        selector.Entries.All(label => labels.TryGet(label.Key, out var value) && value.Text == label.Value.Text);
}
