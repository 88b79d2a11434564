using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Inference;

/// <summary>
/// A model folder loaded for text generation: weights, tokenizer and chat template together, so evaluation,
/// GRPO rollouts and the server all speak text. Not thread-safe: one generation at a time.
/// </summary>
public sealed class LocalModel : IDisposable
{
    private LocalModel(string directory, CausalLM model, ITokenizer tokenizer, ChatTemplate chatTemplate)
    {
        Directory = directory;
        Model = model;
        Tokenizer = tokenizer;
        ChatTemplate = chatTemplate;
        // The chat template's end-of-turn tokens, the tokenizer's and config.json's end-of-sequence ids all end a completion.
        StopIds = chatTemplate.StopIds(tokenizer).Concat(model.Config.EosTokenIds).Distinct().ToArray();
        Info = new ModelInfo(
            Architecture: model.Config.ModelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM",
            ModelType: model.Config.ModelType,
            ParameterCount: ParameterCount(model),
            DType: DeviceSpec.DTypeName(model.DType),
            Device: model.Spec.Type == DeviceType.CPU ? "cpu" : model.Spec.Index < 0 ? "cuda" : $"cuda:{model.Spec.Index}",
            TokenizerKind: tokenizer switch
            {
                ByteTokenizer => "byte",
                ByteLevelBpeTokenizer => "byte-level-bpe",
                _ => tokenizer.GetType().Name,
            },
            VocabSize: model.Config.VocabSize,
            ChatTemplate: chatTemplate.Name,
            MaxContext: model.Config.MaxPositionEmbeddings);
    }

    /// <summary>The folder the model was loaded from.</summary>
    public string Directory { get; }
    public CausalLM Model { get; }
    public ITokenizer Tokenizer { get; }
    public ChatTemplate ChatTemplate { get; }
    /// <summary>Token ids that end a completion (kept as its last token, left out of its text).</summary>
    public IReadOnlyList<int> StopIds { get; }
    public ModelInfo Info { get; }

    /// <summary>
    /// Opens a HF-layout folder: config.json + safetensors weights, the tokenizer files and the chat template they name.
    /// <paramref name="dtype"/>, when given, overrides the dtype of <paramref name="device"/> (default CPU float32).
    /// </summary>
    public static LocalModel Load(string modelDir, DeviceSpec? device = null, ScalarType? dtype = null)
    {
        var spec = device ?? DeviceSpec.Cpu;
        if (dtype is { } type) spec = spec with { DType = type };
        // Tokenizer first: it is cheap, and a folder without one should fail before gigabytes of weights are read.
        var tokenizer = TokenizerLoader.Load(modelDir);
        var template = ChatTemplates.ForModel(modelDir, tokenizer);
        var model = CheckpointLoader.Load(modelDir, spec);
        if (tokenizer.VocabSize > model.Config.VocabSize)
        {
            model.Dispose();
            throw new EngineException($"{modelDir}: the tokenizer has {tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}");
        }
        model.eval();
        return new LocalModel(modelDir, model, tokenizer, template);
    }

    /// <summary>
    /// Creates the embedded tiny model (<see cref="ModelConfig.Tiny"/> over the <see cref="ByteTokenizer"/>'s vocabulary),
    /// initialised from <paramref name="seed"/>, and saves it to <paramref name="outDir"/> as config.json,
    /// model.safetensors and tokenizer_config.json, so <see cref="Load"/> opens it like any HF folder.
    /// </summary>
    public static ModelConfig InitTiny(string outDir, long seed)
    {
        var tokenizer = new ByteTokenizer();
        using var model = TinyModelFactory.Create(seed, tokenizer.VocabSize, DeviceSpec.Cpu, bosTokenId: null, eosTokenIds: tokenizer.EosIds);
        CheckpointSaver.Save(model, outDir);
        tokenizer.Save(outDir);
        return model.Config;
    }

    /// <summary>Completes raw text prompts (a begin-of-sequence token is added where the model uses one): for each prompt, <see cref="TextGenerationSettings.N"/> completions.</summary>
    public IReadOnlyList<IReadOnlyList<TextCompletion>> Generate(IReadOnlyList<string> prompts, TextGenerationSettings settings) =>
        GenerateTokens(prompts.Select(p => (IReadOnlyList<int>)Tokenizer.Encode(p, addSpecial: true)).ToArray(), settings);

    /// <summary>Replies to conversations rendered with the model's chat template: for each, <see cref="TextGenerationSettings.N"/> completions.</summary>
    public IReadOnlyList<IReadOnlyList<TextCompletion>> GenerateChat(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, TextGenerationSettings settings) =>
        GenerateTokens(conversations.Select(c => (IReadOnlyList<int>)EncodeChat(c)).ToArray(), settings);

    /// <summary>The prompt text of a conversation, ending where the assistant's reply begins.</summary>
    public string RenderChat(IReadOnlyList<ChatMessage> conversation) => ChatTemplate.Render(conversation, addGenerationPrompt: true);

    /// <summary>The prompt ids of a conversation (the rendered text already holds any begin-of-sequence token).</summary>
    public int[] EncodeChat(IReadOnlyList<ChatMessage> conversation) => Tokenizer.Encode(RenderChat(conversation), addSpecial: false);

    /// <summary>Completes already-encoded prompts; what <see cref="Generate"/> and <see cref="GenerateChat"/> do after encoding.</summary>
    public IReadOnlyList<IReadOnlyList<TextCompletion>> GenerateTokens(IReadOnlyList<IReadOnlyList<int>> prompts, TextGenerationSettings settings)
    {
        if (prompts.Count == 0) return [];
        var options = settings.ToOptions(StopIds, Tokenizer.PadId);
        var n = settings.N;
        var texts = Enumerable.Range(0, prompts.Count * Math.Max(n, 1)).Select(_ => new CompletionText(Tokenizer, settings.Stop)).ToArray();
        // Without stop strings no text needs watching during generation; the text is decoded once at the end.
        Func<int, IReadOnlyList<int>, bool>? stop = settings.Stop.Any(s => s.Length > 0)
            ? (row, ids) => texts[row].Push(ids[^1])
            : null;
        var sequences = new TokenGenerator(Model).Generate(prompts, options, stop);

        var eos = StopIds.ToHashSet();
        var results = new TextCompletion[prompts.Count][];
        for (var p = 0; p < prompts.Count; p++) results[p] = new TextCompletion[n];
        foreach (var seq in sequences)
        {
            var row = seq.PromptIndex * n + seq.SampleIndex;
            var text = texts[row];
            var ids = seq.TokenIds.ToArray();
            var endedByEos = seq.FinishReason == FinishReason.Stop && ids.Length > 0 && eos.Contains(ids[^1]);
            if (stop is null)
            {
                foreach (var id in endedByEos ? ids[..^1] : ids) text.Push(id);
            }
            var finalText = text.Finish();
            var reason = seq.FinishReason == FinishReason.Stop || text.Stopped ? TextCompletion.Stopped : TextCompletion.Length;
            results[seq.PromptIndex][seq.SampleIndex] = new TextCompletion(finalText, ids, seq.LogProbs.ToArray(), reason, prompts[seq.PromptIndex].Count);
        }
        return results;
    }

    private static long ParameterCount(CausalLM model) =>
        model.named_parameters()
            .Where(p => !p.name.Contains("lora_", StringComparison.Ordinal))
            .Sum(p => p.parameter.numel());

    public void Dispose() => Model.Dispose();
}
