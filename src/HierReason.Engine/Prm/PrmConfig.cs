using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Models;

namespace HierReason.Engine.Prm;

/// <summary>
/// A process reward model's config.json: the decoder's <see cref="ModelConfig"/> plus the token-classification head
/// (<c>num_labels</c>, <c>id2label</c>/<c>label2id</c>) and which classes count as "this step is good" (<c>prob_labels</c>).
/// </summary>
public sealed record PrmConfig
{
    public required ModelConfig Body { get; init; }

    public int NumLabels { get; init; } = 2;

    /// <summary>Class names by id (HF's <c>id2label</c>); <c>LABEL_i</c> unless given.</summary>
    public IReadOnlyList<string> LabelNames { get; init; } = [];

    /// <summary>Classes whose probabilities sum to a step's reward p_t (seed 001's <c>prob_labels</c>); default: the last class.</summary>
    public IReadOnlyList<int> ProbLabels { get; init; } = [];

    /// <summary>A head of <paramref name="numLabels"/> classes on <paramref name="body"/>, with the default names and positive class.</summary>
    public static PrmConfig For(ModelConfig body, int numLabels = 2)
    {
        if (numLabels < 2 || numLabels > 64) throw new EngineException($"num_labels {numLabels}: expected 2 to 64 classes");
        return new PrmConfig
        {
            Body = body,
            NumLabels = numLabels,
            LabelNames = Enumerable.Range(0, numLabels).Select(i => "LABEL_" + i.ToString(CultureInfo.InvariantCulture)).ToList(),
            ProbLabels = [numLabels - 1],
        };
    }

    /// <summary>The HF architecture name of this head on this body (<c>Qwen2ForTokenClassification</c>, <c>LlamaForTokenClassification</c>).</summary>
    public string Architecture => Body.ModelType == "qwen2" ? "Qwen2ForTokenClassification" : "LlamaForTokenClassification";

    /// <summary>Reads a PRM's config.json; a causal LM's config (no token-classification architecture) is rejected with a hint.</summary>
    public static PrmConfig Load(string path)
    {
        if (!IO.ModelFileText.Exists(path)) throw new EngineException($"{path}: config.json not found");
        JsonNode? root;
        try { root = JsonNode.Parse(IO.ModelFileText.Read(path)); }
        catch (JsonException e) { throw new EngineException($"{path}: not valid JSON ({e.Message})", e); }
        if (root is not JsonObject json) throw new EngineException($"{path}: expected a JSON object");
        var architectures = json["architectures"] as JsonArray;
        if (architectures is null || !architectures.Any(a => a?.GetValue<string>().EndsWith("ForTokenClassification", StringComparison.Ordinal) == true))
            throw new EngineException($"{path}: $.architectures: expected a *ForTokenClassification model (a PRM); this looks like a causal LM — train one with 'hierreason prm train'");

        var body = ModelConfig.Parse(json, path);
        var numLabels = json["num_labels"] is JsonValue n && n.TryGetValue<int>(out var count) ? count
            : json["id2label"] is JsonObject map ? map.Count : 2;
        var config = For(body, numLabels);
        if (json["id2label"] is JsonObject id2label)
        {
            var names = config.LabelNames.ToArray();
            foreach (var (key, value) in id2label)
                if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < numLabels && value is JsonValue v && v.TryGetValue<string>(out var name))
                    names[id] = name;
            config = config with { LabelNames = names };
        }
        if (json["prob_labels"] is JsonArray prob)
        {
            var ids = prob.Select(p => p is JsonValue v && v.TryGetValue<int>(out var id) ? id : -1).ToList();
            config = config with { ProbLabels = ids };
        }
        config.Validate(path);
        return config;
    }

    /// <summary>Checks that every positive class exists and none repeats.</summary>
    public void Validate(string file = "config.json")
    {
        if (LabelNames.Count != NumLabels) throw new EngineException($"{file}: $.id2label: expected {NumLabels} names, found {LabelNames.Count}");
        if (ProbLabels.Count == 0 || ProbLabels.Any(p => p < 0 || p >= NumLabels) || ProbLabels.Distinct().Count() != ProbLabels.Count)
            throw new EngineException($"{file}: $.prob_labels: expected distinct class ids in [0, {NumLabels}), found [{string.Join(", ", ProbLabels)}]");
    }

    /// <summary>The body's config.json with the token-classification architecture and head fields.</summary>
    public JsonObject ToJson()
    {
        var json = Body.ToJson();
        json["architectures"] = new JsonArray(Architecture);
        json["num_labels"] = NumLabels;
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        for (var i = 0; i < NumLabels; i++)
        {
            id2label[i.ToString(CultureInfo.InvariantCulture)] = LabelNames[i];
            label2id[LabelNames[i]] = i;
        }
        json["id2label"] = id2label;
        json["label2id"] = label2id;
        json["prob_labels"] = new JsonArray(ProbLabels.Select(p => (JsonNode)p).ToArray());
        return json;
    }

    /// <summary>Writes config.json into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        IO.JsonFiles.WriteAtomic(Path.Combine(directory, "config.json"), ToJson());
    }
}
