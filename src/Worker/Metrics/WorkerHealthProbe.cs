using Microsoft.Extensions.Configuration;

namespace ParamServer.Worker.Metrics;

/// <summary>
/// The <c>--health-check</c> mode of the worker executable, used by the container's HEALTHCHECK: it reads the same
/// configuration as the worker, sends <c>GET /healthz</c> to the local metrics endpoint and exits with 0 on
/// HTTP 200 and 1 otherwise.
/// </summary>
public static class WorkerHealthProbe
{
    /// <summary>The command-line switch that selects the probe.</summary>
    public const string Switch = "--health-check";

    /// <summary>Whether <paramref name="args"/> contains <see cref="Switch"/>.</summary>
    public static bool IsRequested(string[] args) => args.Contains(Switch, StringComparer.Ordinal);

    /// <summary>Runs the probe; returns the process exit code (0 healthy, 1 not).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TimeSpan timeout)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where(argument => argument != Switch).ToArray())
            .Build();
        var options = configuration.GetSection(WorkerMetricsOptions.SectionName).Get<WorkerMetricsOptions>()
            ?? new WorkerMetricsOptions();
        if (options.MetricsPort <= 0)
        {
            await output.WriteLineAsync(
                $"UNHEALTHY: cannot probe metrics port {options.MetricsPort}; set Worker:MetricsPort to a fixed port.");
            return 1;
        }

        var address = new Uri($"http://127.0.0.1:{options.MetricsPort}/healthz");
        using var client = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(address);
            await output.WriteLineAsync($"{(response.IsSuccessStatusCode ? "HEALTHY" : "UNHEALTHY")}: {address} "
                + $"returned {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"UNHEALTHY: {address} failed: {ex.Message}");
            return 1;
        }
    }
}
