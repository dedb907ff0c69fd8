using Grpc.Core;
using ParamServer.Protocol.V1;
using ParamServer.Psctl.Rpc;
using ParamServer.Psctl.Status;

namespace ParamServer.Psctl.Commands;

/// <summary><c>psctl status</c>: prints each shard's GetStatus as tables or JSON, once or refreshed with --watch.</summary>
public static class StatusCommand
{
    public const string Usage = "psctl status (--server HOST:PORT | --servers A,B,...) [--job ID] [--json] [--watch]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        OperatorSettings? settings = OperatorCommandBase.Parse(
            args, "status", OperatorOptionCatalog.For("json", "watch", "interval"), Usage, context);
        if (settings is null)
        {
            return ExitCodes.Success;
        }

        ShardConnection[] connections = OperatorCommandBase.Connect(settings);
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.IntervalSeconds), context.Time);
            while (true)
            {
                IReadOnlyList<ShardReport> reports = await ReadAsync(connections, settings.JobId, context.Cancellation);
                string text = settings.Json
                    ? StatusJson.Render(reports, indented: !settings.Watch) + "\n"
                    : StatusTableRenderer.Render(reports);
                if (settings.Watch && !settings.Json && context.Interactive)
                {
                    // Home the cursor and clear the screen so the tables redraw in place.
                    context.Output.Write("\u001b[H\u001b[2J");
                }

                context.Output.Write(text);
                context.Output.Flush();
                if (!settings.Watch)
                {
                    return reports.All(r => r.Status is not null) ? ExitCodes.Success : ExitCodes.Failure;
                }

                if (!await timer.WaitForNextTickAsync(context.Cancellation))
                {
                    return ExitCodes.Success;
                }
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        finally
        {
            foreach (ShardConnection connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Calls GetStatus on every shard in parallel; a failed shard becomes a report with its error.</summary>
    public static async Task<IReadOnlyList<ShardReport>> ReadAsync(
        IReadOnlyList<ShardConnection> connections,
        string jobId,
        CancellationToken cancellationToken) =>
        await Task.WhenAll(connections.Select(async connection =>
        {
            string endpoint = ShardEndpoint.Display(connection.Endpoint);
            try
            {
                ShardStatus status = await connection.Operator.GetStatusAsync(
                    new StatusRequest { JobId = jobId }, connection.CallOptions(cancellationToken));
                return new ShardReport(endpoint, status, null);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                return new ShardReport(endpoint, null, OperatorCommandBase.Describe(ex));
            }
        }));
}
