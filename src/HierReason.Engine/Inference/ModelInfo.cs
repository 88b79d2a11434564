namespace HierReason.Engine.Inference;

/// <summary>What a loaded model is: architecture, size, where and in which dtype it runs, its tokenizer and chat template.</summary>
/// <param name="Architecture">The HF class name, e.g. "Qwen2ForCausalLM".</param>
/// <param name="ModelType">config.json's model_type ("llama" or "qwen2").</param>
/// <param name="ParameterCount">Base parameters (LoRA factors excluded); tied embeddings count once.</param>
/// <param name="DType">The dtype the weights are held in, e.g. "bfloat16".</param>
/// <param name="Device">"cpu", "cuda" or "cuda:N".</param>
/// <param name="TokenizerKind">"byte" or "byte-level-bpe".</param>
/// <param name="VocabSize">Rows of the embedding (may exceed the tokenizer's ids).</param>
/// <param name="ChatTemplate">The chat template's name.</param>
/// <param name="MaxContext">Prompt plus completion tokens the model accepts (max_position_embeddings).</param>
public sealed record ModelInfo(
    string Architecture,
    string ModelType,
    long ParameterCount,
    string DType,
    string Device,
    string TokenizerKind,
    int VocabSize,
    string ChatTemplate,
    int MaxContext);
