namespace ParamServer.Deploy.Tests.Infrastructure;

/// <summary>
/// The instructions of a Dockerfile, with continuation lines joined and comments dropped. It reads enough to check
/// the values that must agree with the code and is not a full parser.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Keyword, string Arguments)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Keyword, string Arguments)> Instructions { get; }

    public static Dockerfile Load(string relativePath)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in RepositoryFiles.ReadAllText(relativePath).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = "";
            if (full.Length == 0)
            {
                continue;
            }

            var space = full.IndexOf(' ');
            instructions.Add(space < 0
                ? (full.ToUpperInvariant(), "")
                : (full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
        }

        return new Dockerfile(instructions);
    }

    public IEnumerable<string> All(string keyword) =>
        Instructions.Where(instruction => instruction.Keyword == keyword).Select(instruction => instruction.Arguments);

    /// <summary>The instructions of the last stage, the one that becomes the image.</summary>
    public Dockerfile FinalStage()
    {
        var start = Instructions.Select((instruction, index) => (instruction, index))
            .Last(pair => pair.instruction.Keyword == "FROM").index;
        return new Dockerfile(Instructions.Skip(start).ToList());
    }

    /// <summary>Names and values of the ENV instructions, in the <c>KEY=value</c> form.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arguments in All("ENV"))
        {
            foreach (var pair in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=');
                variables[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return variables;
    }

    /// <summary>The value of <c>ARG name=value</c>, for substituting <c>${name}</c>.</summary>
    public string Arg(string name) => All("ARG")
        .Select(arguments => arguments.Split('=', 2))
        .Single(parts => parts[0] == name && parts.Length == 2)[1];
}
