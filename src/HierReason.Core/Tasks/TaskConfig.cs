using System.Text.Json;

namespace HierReason.Core.Tasks;

/// <summary>
/// A task's generator configuration. Subclasses are records whose property initialisers are the
/// defaults; <see cref="Validate"/> checks every field and throws a <see cref="ConfigException"/>
/// naming the field's JSON path (snake_case, as written in config files).
/// </summary>
public abstract record TaskConfig
{
    public virtual void Validate() { }

    /// <summary>The snake_case JSON name of a property, as config files spell it.</summary>
    protected static string Field(string propertyName) => "$." + JsonNamingPolicy.SnakeCaseLower.ConvertName(propertyName);

    protected static void InRange(int value, int min, int max, string property)
    {
        if (value < min || value > max)
            throw new ConfigException(null, Field(property), $"an integer in [{min}, {max}]", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected static void InRange(long value, long min, long max, string property)
    {
        if (value < min || value > max)
            throw new ConfigException(null, Field(property), $"an integer in [{min}, {max}]", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected static void InRange(double value, double min, double max, string property)
    {
        if (!(value >= min && value <= max))
            throw new ConfigException(null, Field(property), $"a number in [{min}, {max}]", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Checks that a min/max pair is ordered (min ≤ max).</summary>
    protected static void Ordered(long min, long max, string minProperty, string maxProperty)
    {
        if (min > max)
            throw new ConfigException(null, Field(minProperty), $"a value ≤ {JsonNamingPolicy.SnakeCaseLower.ConvertName(maxProperty)} ({max})", min.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected static void NotEmpty<T>(IReadOnlyCollection<T>? items, string property)
    {
        if (items is null || items.Count == 0)
            throw new ConfigException(null, Field(property), "a non-empty list", "an empty list");
    }
}
