using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace ParamServer.Deploy.Tests.Infrastructure;

/// <summary>
/// A node of a parsed YAML document (mapping, sequence or scalar) that carries its path, so that a failed lookup
/// names the file and the key that is missing. Merge keys (<c>&lt;&lt;: *anchor</c>) are resolved.
/// </summary>
internal sealed class YamlValue
{
    private readonly object? _value;

    private YamlValue(object? value, string path)
    {
        _value = value;
        Path = path;
    }

    public string Path { get; }

    public bool IsMapping => _value is IDictionary<object, object>;

    public YamlValue this[string key] => TryGet(key, out var value)
        ? value
        : throw new KeyNotFoundException($"{Path} has no key '{key}'.");

    public YamlValue this[int index] => Items.ElementAtOrDefault(index)
        ?? throw new KeyNotFoundException($"{Path} has no item {index}.");

    public IEnumerable<YamlValue> Items => _value is IList<object> list
        ? list.Select((item, index) => new YamlValue(item, $"{Path}[{index}]"))
        : throw new InvalidOperationException($"{Path} is not a sequence.");

    public IEnumerable<KeyValuePair<string, YamlValue>> Entries => _value is IDictionary<object, object> map
        ? map.Select(pair => KeyValuePair.Create((string)pair.Key, new YamlValue(pair.Value, $"{Path}.{pair.Key}")))
        : throw new InvalidOperationException($"{Path} is not a mapping.");

    /// <summary>The scalar as text; YAML's <c>null</c> and an empty value read as the empty string.</summary>
    public string Text => _value switch
    {
        null => "",
        string text => text,
        _ => throw new InvalidOperationException($"{Path} is not a scalar."),
    };

    public int Int => int.Parse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>Parses every document of a YAML file of the repository.</summary>
    public static IReadOnlyList<YamlValue> LoadAll(string relativePath)
    {
        using var reader = new StringReader(RepositoryFiles.ReadAllText(relativePath));
        var parser = new MergingParser(new Parser(reader));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<YamlValue>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(new YamlValue(deserializer.Deserialize(parser), $"{relativePath}#{documents.Count}"));
        }

        return documents;
    }

    /// <summary>Parses a file that contains exactly one YAML document.</summary>
    public static YamlValue Load(string relativePath) => LoadAll(relativePath).Single();

    public bool TryGet(string key, out YamlValue value)
    {
        if (_value is IDictionary<object, object> map && map.TryGetValue(key, out var child))
        {
            value = new YamlValue(child, $"{Path}.{key}");
            return true;
        }

        value = null!;
        return false;
    }

    public bool Has(string key) => TryGet(key, out _);

    public override string ToString() => $"{Path} = {_value}";
}
