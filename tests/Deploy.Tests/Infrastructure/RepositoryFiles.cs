namespace ParamServer.Deploy.Tests.Infrastructure;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that contains ParamServer.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The absolute path of <paramref name="relativePath"/> (forward slashes) in the repository.</summary>
    public static string PathOf(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ParamServer.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ParamServer.sln above {AppContext.BaseDirectory}.");
    }
}
