using System.Globalization;
using System.Text;

namespace ParamServer.Checkpoints;

/// <summary>
/// Directory layout of checkpoints under a root: <c>{root}/{job}/shard-{index:D4}-of-{count:D4}/v{version:D12}.psckpt</c>.
/// The job id is escaped so any id maps to one safe directory name: characters other than ASCII letters, digits,
/// '-', '_' and '.' (and a leading '.') become %XX of their UTF-8 bytes.
/// </summary>
public static class CheckpointPaths
{
    private const string ShardPrefix = "shard-";
    private const string CountSeparator = "-of-";
    private const string VersionPrefix = "v";

    /// <summary>Returns the directory name that stands for <paramref name="jobId"/>.</summary>
    public static string EscapeJobId(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var builder = new StringBuilder(jobId.Length);
        byte[] bytes = Encoding.UTF8.GetBytes(jobId);
        for (int i = 0; i < bytes.Length; i++)
        {
            char c = (char)bytes[i];
            bool safe = bytes[i] < 0x80 && (char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || (c == '.' && i > 0));
            if (safe)
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static string JobDirectory(string root, string jobId) => Path.Combine(root, EscapeJobId(jobId));

    public static string ShardDirectoryName(int shardIndex, int shardCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{ShardPrefix}{shardIndex:D4}{CountSeparator}{shardCount:D4}");

    public static string ShardDirectory(string root, string jobId, int shardIndex, int shardCount) =>
        Path.Combine(JobDirectory(root, jobId), ShardDirectoryName(shardIndex, shardCount));

    public static string FileName(long version) =>
        string.Create(CultureInfo.InvariantCulture, $"{VersionPrefix}{version:D12}{CheckpointFile.Extension}");

    /// <summary>Parses a checkpoint file name such as "v000000000120.psckpt"; false for any other name.</summary>
    public static bool TryParseVersion(string fileName, out long version)
    {
        version = 0;
        if (!fileName.StartsWith(VersionPrefix, StringComparison.Ordinal)
            || !fileName.EndsWith(CheckpointFile.Extension, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> digits = fileName.AsSpan(
            VersionPrefix.Length, fileName.Length - VersionPrefix.Length - CheckpointFile.Extension.Length);
        return digits.Length > 0
            && digits.IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    /// <summary>Parses a shard directory name such as "shard-0001-of-0004"; false for any other name.</summary>
    public static bool TryParseShardDirectory(string directoryName, out int shardIndex, out int shardCount)
    {
        shardIndex = 0;
        shardCount = 0;
        if (!directoryName.StartsWith(ShardPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = directoryName.AsSpan(ShardPrefix.Length);
        int separator = rest.IndexOf(CountSeparator, StringComparison.Ordinal);
        return separator > 0
            && int.TryParse(rest[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out shardIndex)
            && int.TryParse(rest[(separator + CountSeparator.Length)..], NumberStyles.None, CultureInfo.InvariantCulture,
                out shardCount)
            && shardCount > 0
            && shardIndex < shardCount;
    }
}
