using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ParamServer.Worker.Hosting;

// A worker process: settings come from appsettings.json, Worker__* environment variables and --Worker:Key=value
// arguments. Exit codes are listed in WorkerExitCode and docs/worker.md.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.AddParamServerWorker();
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
