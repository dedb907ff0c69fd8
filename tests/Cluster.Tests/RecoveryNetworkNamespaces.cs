using System.Diagnostics;
using System.Globalization;

namespace ParamServer.Cluster.Tests;

/// <summary>
/// One Linux network namespace per shard, each joined to the test's namespace by a veth pair with its own /24, so
/// every shard is a separate host at 10.N.i.2 that workers reach at its own address. Shards are started inside their
/// namespace by <see cref="LauncherPath"/>, a script given to the cluster as its dotnet host. Disposing deletes the
/// namespaces, which removes the veth pairs with them.
/// </summary>
internal sealed class RecoveryNetworkNamespaces : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly string _prefix;
    private readonly int _octet;
    private readonly List<string> _namespaces = [];
    private readonly string _directory;

    private RecoveryNetworkNamespaces(string prefix, int octet, string directory)
    {
        _prefix = prefix;
        _octet = octet;
        _directory = directory;
        LauncherPath = Path.Combine(directory, "launch.sh");
    }

    /// <summary>Script that runs a shard (Shard__Index set) in its namespace and anything else directly.</summary>
    public string LauncherPath { get; }

    /// <summary>Creates the namespaces and links for <paramref name="shards"/> shards and writes the launcher.</summary>
    public static async Task<RecoveryNetworkNamespaces> CreateAsync(int shards, CancellationToken cancellationToken)
    {
        // Names and subnets derive from the process id, so concurrent test runs on one machine do not collide.
        int id = Environment.ProcessId % 100_000;
        var hosts = new RecoveryNetworkNamespaces(
            string.Create(CultureInfo.InvariantCulture, $"psr{id}"),
            20 + (Environment.ProcessId % 200),
            Directory.CreateTempSubdirectory("ps-netns-").FullName);
        try
        {
            for (int i = 0; i < shards; i++)
            {
                await hosts.AddHostAsync(i, cancellationToken);
            }

            await hosts.WriteLauncherAsync(cancellationToken);
            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync();
            throw;
        }
    }

    /// <summary>Address of shard <paramref name="index"/> inside its namespace.</summary>
    public string ShardAddress(int index) => string.Create(CultureInfo.InvariantCulture, $"10.{_octet}.{index}.2");

    /// <summary>Takes the test side of shard <paramref name="index"/>'s link down or up, as a cut cable would.</summary>
    public Task SetLinkAsync(int index, bool up, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "link", "set", HostInterface(index), up ? "up" : "down");

    public async ValueTask DisposeAsync()
    {
        foreach (string name in _namespaces)
        {
            try
            {
                await RunAsync(CancellationToken.None, "netns", "del", name);
            }
            catch (InvalidOperationException)
            {
                // Deleting is best effort; a namespace whose shard still runs is freed when the shard exits.
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Returns whether this process may create network namespaces, or the reason it may not.</summary>
    public static string? ProbeUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces exist only on Linux";
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"psrprobe{Environment.ProcessId}");
        try
        {
            RunAsync(CancellationToken.None, "netns", "add", name).GetAwaiter().GetResult();
            RunAsync(CancellationToken.None, "netns", "del", name).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"'ip netns add' failed ({ex.Message}); the test needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) and iproute2";
        }
    }

    private string NamespaceName(int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{index}");

    private string HostInterface(int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}h{index}");

    private string NamespaceInterface(int index) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}n{index}");

    private async Task AddHostAsync(int index, CancellationToken cancellationToken)
    {
        string name = NamespaceName(index);
        string host = HostInterface(index);
        string inner = NamespaceInterface(index);
        string subnet = string.Create(CultureInfo.InvariantCulture, $"10.{_octet}.{index}");
        await RunAsync(cancellationToken, "netns", "add", name);
        _namespaces.Add(name);
        await RunAsync(cancellationToken, "link", "add", host, "type", "veth", "peer", "name", inner);
        await RunAsync(cancellationToken, "link", "set", inner, "netns", name);
        await RunAsync(cancellationToken, "addr", "add", subnet + ".1/24", "dev", host);
        await RunAsync(cancellationToken, "link", "set", host, "up");
        await RunAsync(cancellationToken, "netns", "exec", name, "ip", "addr", "add", subnet + ".2/24", "dev", inner);
        await RunAsync(cancellationToken, "netns", "exec", name, "ip", "link", "set", inner, "up");
        await RunAsync(cancellationToken, "netns", "exec", name, "ip", "link", "set", "lo", "up");
    }

    private async Task WriteLauncherAsync(CancellationToken cancellationToken)
    {
        string dotnet = ParamServer.Psctl.Cluster.ClusterPrograms.FindDotnetHost();
        string script = $$"""
            #!/bin/sh
            # Shards run in their own network namespace and listen on its address; workers run here.
            if [ -n "${Shard__Index:-}" ]; then
              export Shard__ListenAddress="10.{{_octet}}.${Shard__Index}.2"
              exec ip netns exec "{{_prefix}}-${Shard__Index}" "{{dotnet}}" "$@"
            fi
            exec "{{dotnet}}" "$@"

            """;
        await File.WriteAllTextAsync(LauncherPath, script, cancellationToken);
        File.SetUnixFileMode(
            LauncherPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static async Task RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("Starting 'ip' failed.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        Task<string> error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'ip {string.Join(' ', arguments)}' exited with code {process.ExitCode}: {(await error).Trim()}");
        }
    }
}
