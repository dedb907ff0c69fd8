using ParamServer.Transport;

namespace ParamServer.Server.Hosting;

/// <summary>
/// Settings of one parameter-server shard, bound from the configuration section <c>Shard</c> (environment
/// variables <c>Shard__Index</c>, <c>Shard__Port</c>, ...). <see cref="ShardOptionsValidator"/> checks them at start-up.
/// </summary>
public sealed class ShardOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Shard";

    /// <summary>Index of this shard in [0, <see cref="Count"/>). Default 0. Shard 0 is the membership coordinator.</summary>
    public int Index { get; set; }

    /// <summary>Number of shards the model is split across. Default 1.</summary>
    public int Count { get; set; } = 1;

    /// <summary>
    /// Take <see cref="Index"/> from the trailing <c>-N</c> of the host name, as StatefulSet pods are named
    /// (<c>paramserver-2</c> is shard 2). Default false.
    /// </summary>
    public bool IndexFromHostname { get; set; }

    /// <summary>IP address the gRPC endpoint listens on. Default 0.0.0.0; tests use 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>TCP port of the gRPC endpoint (HTTP/2 without TLS unless TLS is configured). Default 50051; 0 picks a free port.</summary>
    public int Port { get; set; } = 50051;

    /// <summary>Port of the Prometheus endpoint (HTTP/1.1). Default 9464; 0 picks a free port; -1 disables it.</summary>
    public int MetricsPort { get; set; } = 9464;

    /// <summary>
    /// When set, the shard writes its bound gRPC endpoint (such as <c>http://127.0.0.1:43211</c>) to this file once it
    /// listens, so launchers can wait for the file. Default unset.
    /// </summary>
    public string? ReadyFile { get; set; }

    /// <summary>Bytes per weights chunk the shard sends, a multiple of 4. Default 1 MiB.</summary>
    public int ChunkBytes { get; set; } = FloatPayload.DefaultChunkBytes;

    /// <summary>Optional path of a JobSpec in protobuf JSON that the shard creates at start-up. Default unset.</summary>
    public string? JobFile { get; set; }

    /// <summary>
    /// Seconds without a heartbeat or push after which a worker is evicted, for jobs whose spec leaves
    /// <c>consistency.heartbeat_timeout_seconds</c> at 0. Default 30.
    /// </summary>
    public double HeartbeatTimeoutSeconds { get; set; } = 30;

    /// <summary>Maximum number of workers registered to one job (evaluators included). Default 1024.</summary>
    public int MaxWorkers { get; set; } = 1024;

    /// <summary>Directory the shard writes checkpoints to. Default unset: no periodic checkpoints.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Checkpoint every this many versions; 0 disables the step trigger. Default 0.</summary>
    public long CheckpointEverySteps { get; set; }

    /// <summary>Checkpoint every this many seconds; 0 disables the time trigger. Default 0.</summary>
    public double CheckpointEverySeconds { get; set; }

    /// <summary>Number of checkpoints kept per job. Default 3.</summary>
    public int CheckpointKeep { get; set; } = 3;

    /// <summary>Bearer token that operator calls changing state must carry. Default unset: no token required.</summary>
    public string? AuthToken { get; set; }

    /// <summary>TLS settings of the gRPC endpoint; without a certificate the endpoint speaks h2c.</summary>
    public ShardTlsOptions Tls { get; set; } = new();

    /// <summary>Seconds the shard waits for in-flight calls on a graceful stop. Default 20.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Copies every setting to <paramref name="target"/>; the TLS settings are copied, not shared.</summary>
    public void CopyTo(ShardOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Index = Index;
        target.Count = Count;
        target.IndexFromHostname = IndexFromHostname;
        target.ListenAddress = ListenAddress;
        target.Port = Port;
        target.MetricsPort = MetricsPort;
        target.ReadyFile = ReadyFile;
        target.ChunkBytes = ChunkBytes;
        target.JobFile = JobFile;
        target.HeartbeatTimeoutSeconds = HeartbeatTimeoutSeconds;
        target.MaxWorkers = MaxWorkers;
        target.CheckpointDirectory = CheckpointDirectory;
        target.CheckpointEverySteps = CheckpointEverySteps;
        target.CheckpointEverySeconds = CheckpointEverySeconds;
        target.CheckpointKeep = CheckpointKeep;
        target.AuthToken = AuthToken;
        target.Tls = new ShardTlsOptions
        {
            CertificatePath = Tls.CertificatePath,
            KeyPath = Tls.KeyPath,
            ClientCaPath = Tls.ClientCaPath,
        };
        target.ShutdownTimeoutSeconds = ShutdownTimeoutSeconds;
    }
}
