namespace ParamServer.Server.Validation;

/// <summary>Keys of <c>JobStatus.pushes_rejected</c>: why a push was rejected before anything was applied.</summary>
internal static class RejectionReasons
{
    public const string MissingHeader = "missing_header";
    public const string WrongShard = "wrong_shard";
    public const string InvalidRange = "invalid_range";
    public const string InvalidLength = "invalid_length";
    public const string InvalidVersion = "invalid_version";
    public const string MalformedChunk = "malformed_chunk";
    public const string ChunkTooLarge = "chunk_too_large";
    public const string TooManyBytes = "too_many_bytes";
    public const string TooFewBytes = "too_few_bytes";
    public const string NonFinite = "non_finite";
    public const string OutOfOrder = "out_of_order";
    public const string Unregistered = "unregistered";
}
