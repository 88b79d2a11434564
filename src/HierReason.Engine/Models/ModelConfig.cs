using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Engine.Models;

/// <summary>The architecture of a Llama- or Qwen2-family decoder, as read from (and written to) a HF <c>config.json</c>.</summary>
public sealed record ModelConfig
{
    public required string ModelType { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Whether q/k/v projections carry a bias: Qwen2 always; Llama when <c>attention_bias</c>.</summary>
    public bool QkvBias { get; init; }
    /// <summary>Whether o_proj carries a bias: only Llama with <c>attention_bias</c>.</summary>
    public bool OutputBias { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public string TorchDtype { get; init; } = "float32";

    public int KvGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>The embedded tiny model: llama-style, 4 layers of width 192, 6 heads over 2 KV heads, tied embeddings.</summary>
    public static ModelConfig Tiny(int vocabSize, int? bosTokenId = null, IReadOnlyList<int>? eosTokenIds = null) => new()
    {
        ModelType = "llama",
        VocabSize = vocabSize,
        HiddenSize = 192,
        IntermediateSize = 512,
        NumHiddenLayers = 4,
        NumAttentionHeads = 6,
        NumKeyValueHeads = 2,
        HeadDim = 32,
        RmsNormEps = 1e-5,
        RopeTheta = 10000.0,
        MaxPositionEmbeddings = 1024,
        TieWordEmbeddings = true,
        BosTokenId = bosTokenId,
        EosTokenIds = eosTokenIds ?? [],
    };

    /// <summary>Reads and validates <paramref name="path"/> (a config.json); unknown fields are ignored.</summary>
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path)) throw new EngineException($"{path}: config.json not found");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new EngineException($"{path}: not valid JSON ({e.Message})", e); }
        if (root is not JsonObject obj) throw new EngineException($"{path}: expected a JSON object");
        return Parse(obj, path);
    }

    /// <summary>Builds a config from a parsed config.json object; <paramref name="file"/> names it in errors.</summary>
    public static ModelConfig Parse(JsonObject json, string file = "config.json")
    {
        var reader = new ConfigFieldReader(json, file);
        var modelType = reader.String("model_type", null);
        if (modelType is not ("llama" or "qwen2"))
            throw reader.Error("model_type", "\"llama\" or \"qwen2\"", modelType);

        var hidden = reader.PositiveInt("hidden_size");
        var heads = reader.PositiveInt("num_attention_heads");
        var kvHeads = reader.OptionalPositiveInt("num_key_value_heads") ?? heads;
        if (hidden % heads != 0 && reader.OptionalPositiveInt("head_dim") is null)
            throw reader.Error("num_attention_heads", $"a divisor of hidden_size {hidden}", heads.ToString());
        if (heads % kvHeads != 0)
            throw reader.Error("num_key_value_heads", $"a divisor of num_attention_heads {heads}", kvHeads.ToString());
        var headDim = reader.OptionalPositiveInt("head_dim") ?? hidden / heads;
        if (headDim % 2 != 0) throw reader.Error("head_dim", "an even number (rotary embeddings rotate pairs)", headDim.ToString());

        var activation = reader.String("hidden_act", "silu");
        if (activation != "silu") throw reader.Error("hidden_act", "\"silu\" (the SwiGLU MLP of Llama/Qwen2)", activation);
        if (reader.Bool("mlp_bias", false)) throw reader.Error("mlp_bias", "false (MLP biases are not supported)", "true");
        var attentionBias = reader.Bool("attention_bias", false);
        var isQwen = modelType == "qwen2";
        var eps = reader.Double("rms_norm_eps", 1e-6);
        if (eps <= 0) throw reader.Error("rms_norm_eps", "a positive number", eps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var theta = reader.Double("rope_theta", 10000.0);
        if (theta <= 0) throw reader.Error("rope_theta", "a positive number", theta.ToString(System.Globalization.CultureInfo.InvariantCulture));

        return new ModelConfig
        {
            ModelType = modelType,
            VocabSize = reader.PositiveInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = reader.PositiveInt("intermediate_size"),
            NumHiddenLayers = reader.PositiveInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            RmsNormEps = eps,
            RopeTheta = theta,
            RopeScaling = RopeScaling.Parse(json["rope_scaling"], file),
            MaxPositionEmbeddings = reader.OptionalPositiveInt("max_position_embeddings") ?? (isQwen ? 32768 : 2048),
            TieWordEmbeddings = reader.Bool("tie_word_embeddings", false),
            QkvBias = isQwen || attentionBias,
            OutputBias = !isQwen && attentionBias,
            BosTokenId = reader.OptionalInt("bos_token_id"),
            EosTokenIds = reader.IntOrIntList("eos_token_id"),
            TorchDtype = reader.String("torch_dtype", "float32")!,
        };
    }

    /// <summary>The HF config.json for this model, with the fields HF's loaders expect.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = RopeScaling?.ToJson(),
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["torch_dtype"] = TorchDtype,
        };
        if (ModelType == "llama") json["attention_bias"] = QkvBias;
        if (BosTokenId is { } bos) json["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) json["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(EosTokenIds.Select(id => (JsonNode)id).ToArray());
        return json;
    }

    /// <summary>Writes config.json into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        IO.JsonFiles.WriteAtomic(Path.Combine(directory, "config.json"), ToJson());
    }
}
