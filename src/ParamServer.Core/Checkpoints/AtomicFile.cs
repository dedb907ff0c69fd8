using System.Runtime.InteropServices;
using ParamServer.Checkpoints.Internal;

namespace ParamServer.Checkpoints;

/// <summary>
/// Replaces a file so that readers and crashes see either the old content or the complete new content. The data is
/// written to a temporary file in the same directory and flushed to the device. Then the file is renamed over the
/// target, and the directory entry is flushed too.
/// </summary>
public static class AtomicFile
{
    /// <summary>Suffix marker of temporary files; a file whose name contains it is a leftover of a failed write.</summary>
    public const string TemporaryMarker = ".tmp-";

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="writeContent"/>, which returns the bytes it wrote. When
    /// it throws, the temporary file is deleted and the target is left as it was.
    /// </summary>
    /// <exception cref="IOException">Writing, flushing, renaming or flushing the directory failed.</exception>
    public static long Write(string path, Func<Stream, long> writeContent) =>
        Write(path, writeContent, static stream => stream);

    /// <summary>
    /// As <see cref="Write(string, Func{Stream, long})"/>, with <paramref name="decorate"/> wrapping the file stream
    /// before the content is written (for example to count bytes or to inject failures in tests).
    /// </summary>
    public static long Write(string path, Func<Stream, long> writeContent, Func<Stream, Stream> decorate)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(
            directory, $".{Path.GetFileName(fullPath)}{TemporaryMarker}{Guid.NewGuid():N}");

        long written;
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Stream target = decorate(file);
                written = writeContent(target);
                target.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        SyncDirectory(directory);
        return written;
    }

    /// <summary>Flushes a directory's entries so a completed rename survives a power loss (Linux and macOS).</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        int descriptor = NativeMethods.Open(directory, 0);
        if (descriptor < 0)
        {
            throw new IOException(
                $"Opening directory '{directory}' to flush it failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        try
        {
            if (NativeMethods.FSync(descriptor) != 0)
            {
                throw new IOException($"Flushing directory '{directory}' failed with errno {Marshal.GetLastPInvokeError()}.");
            }
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is the one to report; a leftover temporary file is removed at the next start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
