using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.Lora;

/// <summary>A LoRA adapter's shape, as PEFT's <c>adapter_config.json</c> records it: rank, alpha, dropout and target modules.</summary>
public sealed record LoraConfig
{
    /// <summary>The projections LoRA can target in Llama/Qwen2 decoders.</summary>
    public static readonly IReadOnlyList<string> AllTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int R { get; init; } = 8;
    public double Alpha { get; init; } = 16;
    public double Dropout { get; init; }
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];
    public string? BaseModelNameOrPath { get; init; }

    public double Scaling => Alpha / R;

    /// <summary>Throws <see cref="EngineException"/> (naming <paramref name="file"/>) for a rank, dropout or target no adapter can have.</summary>
    public void Validate(string file = "adapter_config.json")
    {
        if (R < 1) throw new EngineException($"{file}: $.r: expected a positive integer; found {R}");
        if (Alpha <= 0) throw new EngineException($"{file}: $.lora_alpha: expected a positive number; found {Alpha}");
        if (Dropout is < 0 or >= 1) throw new EngineException($"{file}: $.lora_dropout: expected a number in [0, 1); found {Dropout}");
        if (TargetModules.Count == 0) throw new EngineException($"{file}: $.target_modules: expected at least one of {string.Join(", ", AllTargets)}");
        var unknown = TargetModules.FirstOrDefault(t => !AllTargets.Contains(t));
        if (unknown is not null) throw new EngineException($"{file}: $.target_modules: expected names among {string.Join(", ", AllTargets)}; found \"{unknown}\"");
    }

    public JsonObject ToJson() => new()
    {
        ["peft_type"] = "LORA",
        ["task_type"] = "CAUSAL_LM",
        ["r"] = R,
        ["lora_alpha"] = Alpha,
        ["lora_dropout"] = Dropout,
        ["target_modules"] = new JsonArray(TargetModules.Select(t => (JsonNode)t).ToArray()),
        ["base_model_name_or_path"] = BaseModelNameOrPath,
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["inference_mode"] = true,
    };

    /// <summary>Reads a PEFT adapter_config.json; only LoRA without bias training is supported.</summary>
    public static LoraConfig Load(string path)
    {
        if (!File.Exists(path)) throw new EngineException($"{path}: adapter_config.json not found");
        JsonObject json;
        try { json = JsonNode.Parse(IO.ModelFileText.Read(path)) as JsonObject ?? throw new EngineException($"{path}: expected a JSON object"); }
        catch (JsonException e) { throw new EngineException($"{path}: not valid JSON ({e.Message})", e); }

        var peftType = json["peft_type"]?.GetValueKind() == JsonValueKind.String ? json["peft_type"]!.GetValue<string>() : null;
        if (peftType != "LORA") throw new EngineException($"{path}: $.peft_type: expected \"LORA\"; found {json["peft_type"]?.ToJsonString() ?? "nothing"}");
        var bias = json["bias"]?.GetValueKind() == JsonValueKind.String ? json["bias"]!.GetValue<string>() : "none";
        if (bias != "none") throw new EngineException($"{path}: $.bias: expected \"none\" (trained biases are not supported); found \"{bias}\"");

        double Number(string field, double fallback) => json[field] switch
        {
            null => fallback,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
            var other => throw new EngineException($"{path}: $.{field}: expected a number; found {other.ToJsonString()}"),
        };
        var r = Number("r", 8);
        if (r != Math.Floor(r)) throw new EngineException($"{path}: $.r: expected a positive integer; found {r}");
        var targets = json["target_modules"] switch
        {
            JsonArray array when array.All(n => n?.GetValueKind() == JsonValueKind.String) => array.Select(n => n!.GetValue<string>()).ToArray(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            var other => throw new EngineException($"{path}: $.target_modules: expected a list of module names; found {other?.ToJsonString() ?? "nothing"}"),
        };
        var config = new LoraConfig
        {
            R = (int)r,
            Alpha = Number("lora_alpha", 8),
            Dropout = Number("lora_dropout", 0),
            TargetModules = targets,
            BaseModelNameOrPath = json["base_model_name_or_path"]?.GetValueKind() == JsonValueKind.String ? json["base_model_name_or_path"]!.GetValue<string>() : null,
        };
        config.Validate(path);
        return config;
    }
}
