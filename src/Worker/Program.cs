using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ParamServer.Worker.Hosting;
using ParamServer.Worker.Metrics;
using ParamServer.Worker.Security;

// A worker process: settings come from appsettings.json, Worker__* environment variables and --Worker:Key=value
// arguments. Exit codes are listed in WorkerExitCode and docs/worker.md.
// The container health check runs the same executable with --health-check instead of starting a worker.
if (WorkerHealthProbe.IsRequested(args))
{
    return await WorkerHealthProbe.RunAsync(args, Console.Out, TimeSpan.FromSeconds(5));
}

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.AddParamServerWorker();
builder.AddWorkerSecurity();
builder.AddWorkerMetrics();
using IHost host = builder.Build();

// RunAsync disposes the host, so the exit state is resolved before it runs.
WorkerExitState exit = host.Services.GetRequiredService<WorkerExitState>();
try
{
    await host.RunAsync();
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("Invalid worker configuration:");
    foreach (string failure in e.Failures)
    {
        Console.Error.WriteLine("  " + failure);
    }

    return WorkerExitCode.InvalidConfiguration;
}

return exit.ExitCode;
