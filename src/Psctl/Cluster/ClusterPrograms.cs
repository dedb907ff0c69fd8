namespace ParamServer.Psctl.Cluster;

/// <summary>
/// Paths of the programs a local cluster runs: the dotnet host, the shard program (ParameterServer.dll) and the
/// worker program (Worker.dll). The build copies both programs beside psctl, under shard/ and worker/.
/// </summary>
/// <param name="DotnetHost">The dotnet executable that runs the two dlls.</param>
public sealed record ClusterPrograms(string DotnetHost, string ShardProgram, string WorkerProgram)
{
    /// <summary>Environment variable naming the shard program when --shard-program is not given.</summary>
    public const string ShardProgramVariable = "PARAMSERVER_SHARD_PROGRAM";

    /// <summary>Environment variable naming the worker program when --worker-program is not given.</summary>
    public const string WorkerProgramVariable = "PARAMSERVER_WORKER_PROGRAM";

    /// <summary>
    /// Resolves the programs: explicit paths first, then the environment variables, then shard/ParameterServer.dll
    /// and worker/Worker.dll beside psctl's own assembly.
    /// </summary>
    /// <exception cref="FileNotFoundException">A program does not exist; the message says how to build or name it.</exception>
    public static ClusterPrograms Resolve(string? shardProgram, string? workerProgram, string? dotnetHost)
    {
        string shard = Find(shardProgram, ShardProgramVariable, Path.Combine("shard", "ParameterServer.dll"),
            "--shard-program");
        string worker = Find(workerProgram, WorkerProgramVariable, Path.Combine("worker", "Worker.dll"),
            "--worker-program");
        return new ClusterPrograms(dotnetHost ?? FindDotnetHost(), shard, worker);
    }

    /// <summary>
    /// Returns the dotnet host: $DOTNET_HOST_PATH (set by the dotnet CLI for the processes it starts), the host
    /// running this process, $DOTNET_ROOT/dotnet, or "dotnet" from PATH.
    /// </summary>
    public static string FindDotnetHost()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        string? current = Environment.ProcessPath;
        if (current is not null && string.Equals(Path.GetFileName(current), executable, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, executable)))
        {
            return Path.Combine(root, executable);
        }

        return executable;
    }

    private static string Find(string? explicitPath, string variable, string besidePsctl, string option)
    {
        string? path = explicitPath ?? Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(path))
        {
            return File.Exists(path)
                ? Path.GetFullPath(path)
                : throw new FileNotFoundException($"{option} (or ${variable}) names '{path}', which does not exist.", path);
        }

        string candidate = Path.Combine(AppContext.BaseDirectory, besidePsctl);
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException(
                $"{candidate} does not exist. Build psctl with 'dotnet build src/Psctl' (it builds and copies the shard " +
                $"and worker programs), or pass {option}.", candidate);
    }
}
