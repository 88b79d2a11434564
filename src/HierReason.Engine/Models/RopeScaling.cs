using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.Models;

/// <summary>
/// A config's <c>rope_scaling</c>: "linear" (positions divided by a factor) or "llama3" (Llama 3.1+ frequency-dependent
/// rescaling); other kinds are refused rather than silently computed wrong.
/// </summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor = 1, double HighFreqFactor = 4, int OriginalMaxPositionEmbeddings = 8192)
{
    /// <summary>The inverse frequencies θ^(−2i/d) for i &lt; d/2, rescaled as <paramref name="scaling"/> says.</summary>
    public static float[] InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        var inv = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        if (scaling is not null) inv = scaling.Apply(inv);
        return inv.Select(f => (float)f).ToArray();
    }

    private double[] Apply(double[] inv) => Type switch
    {
        "linear" => inv.Select(f => f / Factor).ToArray(),
        "llama3" => inv.Select(Llama3).ToArray(),
        _ => throw new InvalidOperationException($"rope_scaling type {Type} was not validated"),
    };

    // Long wavelengths are slowed by the factor, short ones kept, the band between interpolated smoothly.
    private double Llama3(double freq)
    {
        var wavelength = 2 * Math.PI / freq;
        var lowFreqWavelength = OriginalMaxPositionEmbeddings / LowFreqFactor;
        var highFreqWavelength = OriginalMaxPositionEmbeddings / HighFreqFactor;
        if (wavelength < highFreqWavelength) return freq;
        if (wavelength > lowFreqWavelength) return freq / Factor;
        var smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
        return (1 - smooth) * freq / Factor + smooth * freq;
    }

    /// <summary>Reads <c>rope_scaling</c> (null or absent = none); <paramref name="file"/> names config.json in errors.</summary>
    public static RopeScaling? Parse(JsonNode? node, string file)
    {
        if (node is null) return null;
        EngineException Bad(string field, string expected, JsonNode? found) =>
            new($"{file}: $.rope_scaling{field}: expected {expected}; found {found?.ToJsonString() ?? "nothing"}");
        if (node is not JsonObject obj) throw Bad("", "an object or null", node);
        var typeNode = obj["rope_type"] ?? obj["type"];
        var type = typeNode is JsonValue tv && tv.GetValueKind() == JsonValueKind.String ? tv.GetValue<string>() : null;
        if (type == "default") return null;
        if (type is not ("linear" or "llama3")) throw Bad(".rope_type", "\"default\", \"linear\" or \"llama3\" (others are not supported)", typeNode);

        double Number(string field, double? fallback, double max)
        {
            var value = obj[field];
            if (value is null && fallback is { } f) return f;
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var x && x > 0 && x <= max) return x;
            throw Bad("." + field, $"a positive number of at most {max.ToString(CultureInfo.InvariantCulture)}", value);
        }
        var factor = Number("factor", null, ModelLimits.MaxRopeFactor);
        if (type == "linear") return new RopeScaling(type, factor);
        var low = Number("low_freq_factor", 1, ModelLimits.MaxRopeFactor);
        var high = Number("high_freq_factor", 4, ModelLimits.MaxRopeFactor);
        // The smooth band divides by (high - low): equal factors would make every frequency NaN.
        if (high <= low) throw Bad(".high_freq_factor", $"a number above low_freq_factor {low.ToString(CultureInfo.InvariantCulture)}", obj["high_freq_factor"]);
        var original = Number("original_max_position_embeddings", 8192, ModelLimits.MaxPositionEmbeddings);
        if (original != Math.Floor(original))
            throw Bad(".original_max_position_embeddings", "a whole number of positions", obj["original_max_position_embeddings"]);
        return new RopeScaling(type, factor, low, high, (int)original);
    }

    public JsonObject ToJson() => Type == "linear"
        ? new JsonObject { ["rope_type"] = Type, ["factor"] = Factor }
        : new JsonObject
        {
            ["rope_type"] = Type,
            ["factor"] = Factor,
            ["low_freq_factor"] = LowFreqFactor,
            ["high_freq_factor"] = HighFreqFactor,
            ["original_max_position_embeddings"] = OriginalMaxPositionEmbeddings,
        };
}
