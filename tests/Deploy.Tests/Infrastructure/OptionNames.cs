using System.Reflection;

namespace ParamServer.Deploy.Tests.Infrastructure;

/// <summary>
/// Maps environment variable names such as <c>Shard__Tls__CertificatePath</c> to option properties the way the
/// configuration binder does: <c>__</c> separates sections, and names compare case-insensitively.
/// </summary>
internal static class OptionNames
{
    /// <summary>Whether <paramref name="variable"/> names a settable property under <paramref
    /// name="section"/>.</summary>
    public static bool Maps(string variable, string section, IEnumerable<Type> optionTypes)
    {
        var segments = variable.Split("__");
        if (segments.Length < 2 || !string.Equals(segments[0], section, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return optionTypes.Any(type => Resolves(type, segments.AsSpan(1)));
    }

    private static bool Resolves(Type type, ReadOnlySpan<string> segments)
    {
        var property = type.GetProperty(
            segments[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null)
        {
            return false;
        }

        if (segments.Length == 1)
        {
            return property.CanWrite;
        }

        return !property.PropertyType.IsPrimitive && property.PropertyType != typeof(string)
            && Resolves(property.PropertyType, segments[1..]);
    }
}
