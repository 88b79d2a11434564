using System.Globalization;
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
    /// <summary>The embedded configurations an experiment's <c>model.init</c> names.</summary>
    public static IReadOnlyList<string> EmbeddedNames { get; } = ["tiny", "tiny-small"];

    /// <summary>The embedded configuration <paramref name="name"/> (one of <see cref="EmbeddedNames"/>).</summary>
    public static ModelConfig Embedded(string name, int vocabSize, int? bosTokenId = null, IReadOnlyList<int>? eosTokenIds = null) => name switch
    {
        "tiny" => Tiny(vocabSize, bosTokenId, eosTokenIds),
        "tiny-small" => TinySmall(vocabSize, bosTokenId, eosTokenIds),
        _ => throw new ArgumentException($"no embedded model config '{name}' (known: {string.Join(", ", EmbeddedNames)})", nameof(name)),
    };

    /// <summary>
    /// A smaller tiny model (hidden 64, 2 layers; about 1/15 of <see cref="Tiny"/>'s weights) for policies whose every turn
    /// is a short choice (a taxonomy chooser), where the tiny model's GRPO steps cost ~10× more for nothing.
    /// </summary>
    public static ModelConfig TinySmall(int vocabSize, int? bosTokenId = null, IReadOnlyList<int>? eosTokenIds = null) => Tiny(vocabSize, bosTokenId, eosTokenIds) with
    {
        HiddenSize = 64, IntermediateSize = 192, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 16,
    };

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
        if (!IO.ModelFileText.Exists(path)) throw new EngineException($"{path}: config.json not found");
        JsonNode? root;
        try { root = JsonNode.Parse(IO.ModelFileText.Read(path)); }
        catch (JsonException e) { throw new EngineException($"{path}: not valid JSON ({e.Message})", e); }
        if (root is not JsonObject obj) throw new EngineException($"{path}: expected a JSON object");
        return Parse(obj, path);
    }

    /// <summary>
    /// Builds a config from a parsed config.json object; <paramref name="file"/> names it in errors. Every size is bounded by
    /// <see cref="ModelLimits"/> and must fit the others (heads divide, head_dim even), so nothing is allocated from a bad value.
    /// </summary>
    public static ModelConfig Parse(JsonObject json, string file = "config.json")
    {
        var reader = new ConfigFieldReader(json, file);
        var modelType = reader.String("model_type", null);
        if (modelType is not ("llama" or "qwen2"))
            throw reader.Error("model_type", "\"llama\" or \"qwen2\"", modelType);

        var hidden = reader.BoundedInt("hidden_size", 1, ModelLimits.MaxHiddenSize) ?? throw reader.Missing("hidden_size", ModelLimits.MaxHiddenSize);
        var heads = reader.BoundedInt("num_attention_heads", 1, ModelLimits.MaxHeads) ?? throw reader.Missing("num_attention_heads", ModelLimits.MaxHeads);
        var kvHeads = reader.BoundedInt("num_key_value_heads", 1, heads) ?? heads;
        var explicitHeadDim = reader.BoundedInt("head_dim", 1, ModelLimits.MaxHeadDim);
        if (hidden % heads != 0 && explicitHeadDim is null)
            throw reader.Error("num_attention_heads", $"a divisor of hidden_size {hidden}", heads.ToString(CultureInfo.InvariantCulture));
        if (heads % kvHeads != 0)
            throw reader.Error("num_key_value_heads", $"a divisor of num_attention_heads {heads}", kvHeads.ToString(CultureInfo.InvariantCulture));
        var headDim = explicitHeadDim ?? hidden / heads;
        if (headDim > ModelLimits.MaxHeadDim)
            throw reader.Error("hidden_size", $"hidden_size / num_attention_heads (the head dimension) of at most {ModelLimits.MaxHeadDim}", hidden.ToString(CultureInfo.InvariantCulture));
        if (headDim % 2 != 0) throw reader.Error("head_dim", "an even number (rotary embeddings rotate pairs)", headDim.ToString(CultureInfo.InvariantCulture));

        var activation = reader.String("hidden_act", "silu");
        if (activation != "silu") throw reader.Error("hidden_act", "\"silu\" (the SwiGLU MLP of Llama/Qwen2)", activation);
        if (reader.Bool("mlp_bias", false)) throw reader.Error("mlp_bias", "false (MLP biases are not supported)", "true");
        var attentionBias = reader.Bool("attention_bias", false);
        var isQwen = modelType == "qwen2";
        var eps = reader.Double("rms_norm_eps", 1e-6);
        if (!(eps > 0 && eps < 1)) throw reader.Error("rms_norm_eps", "a number in (0, 1)", eps.ToString(CultureInfo.InvariantCulture));
        var theta = reader.Double("rope_theta", 10000.0);
        if (!(theta > 0 && theta <= ModelLimits.MaxRopeTheta))
            throw reader.Error("rope_theta", "a positive number of at most 1e12", theta.ToString(CultureInfo.InvariantCulture));
        var vocab = reader.BoundedInt("vocab_size", 1, ModelLimits.MaxVocabSize) ?? throw reader.Missing("vocab_size", ModelLimits.MaxVocabSize);
        var bos = reader.BoundedInt("bos_token_id", 0, vocab - 1, $"a token id in [0, vocab_size {vocab})");
        var eos = reader.IntOrIntList("eos_token_id");
        foreach (var id in eos)
            if (id < 0 || id >= vocab) throw reader.Error("eos_token_id", $"token ids in [0, vocab_size {vocab})", id.ToString(CultureInfo.InvariantCulture));

        return new ModelConfig
        {
            ModelType = modelType,
            VocabSize = vocab,
            HiddenSize = hidden,
            IntermediateSize = reader.BoundedInt("intermediate_size", 1, ModelLimits.MaxIntermediateSize) ?? throw reader.Missing("intermediate_size", ModelLimits.MaxIntermediateSize),
            NumHiddenLayers = reader.BoundedInt("num_hidden_layers", 1, ModelLimits.MaxLayers) ?? throw reader.Missing("num_hidden_layers", ModelLimits.MaxLayers),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            RmsNormEps = eps,
            RopeTheta = theta,
            RopeScaling = RopeScaling.Parse(json["rope_scaling"], file),
            MaxPositionEmbeddings = reader.BoundedInt("max_position_embeddings", 1, ModelLimits.MaxPositionEmbeddings) ?? (isQwen ? 32768 : 2048),
            TieWordEmbeddings = reader.Bool("tie_word_embeddings", false),
            QkvBias = isQwen || attentionBias,
            OutputBias = !isQwen && attentionBias,
            BosTokenId = bos,
            EosTokenIds = eos,
            TorchDtype = reader.String("torch_dtype", "float32")!,
        };
    }

    /// <summary>
    /// Every parameter a <see cref="CausalLM"/> of this config holds, by HF name and shape, in the order the model registers
    /// them (no LoRA factors): what a checkpoint must store, known before anything is allocated.
    /// </summary>
    public IReadOnlyList<(string Name, long[] Shape)> ParameterShapes()
    {
        long c = HiddenSize, q = (long)NumAttentionHeads * HeadDim, kv = (long)NumKeyValueHeads * HeadDim, i = IntermediateSize;
        var shapes = new List<(string, long[])> { ("model.embed_tokens.weight", [VocabSize, c]) };
        for (var layer = 0; layer < NumHiddenLayers; layer++)
        {
            var p = $"model.layers.{layer}.";
            shapes.Add((p + "input_layernorm.weight", [c]));
            shapes.Add((p + "self_attn.q_proj.weight", [q, c]));
            if (QkvBias) shapes.Add((p + "self_attn.q_proj.bias", [q]));
            shapes.Add((p + "self_attn.k_proj.weight", [kv, c]));
            if (QkvBias) shapes.Add((p + "self_attn.k_proj.bias", [kv]));
            shapes.Add((p + "self_attn.v_proj.weight", [kv, c]));
            if (QkvBias) shapes.Add((p + "self_attn.v_proj.bias", [kv]));
            shapes.Add((p + "self_attn.o_proj.weight", [c, q]));
            if (OutputBias) shapes.Add((p + "self_attn.o_proj.bias", [c]));
            shapes.Add((p + "post_attention_layernorm.weight", [c]));
            shapes.Add((p + "mlp.gate_proj.weight", [i, c]));
            shapes.Add((p + "mlp.up_proj.weight", [i, c]));
            shapes.Add((p + "mlp.down_proj.weight", [c, i]));
        }
        shapes.Add(("model.norm.weight", [c]));
        if (!TieWordEmbeddings) shapes.Add(("lm_head.weight", [VocabSize, c]));
        return shapes;
    }

    /// <summary>The parameters a <see cref="CausalLM"/> of this config holds (no LoRA factors).</summary>
    public long ParameterCount() => ParameterShapes().Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b));

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
