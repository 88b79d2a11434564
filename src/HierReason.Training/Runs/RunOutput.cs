using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Evaluation;

namespace HierReason.Training.Runs;

/// <summary>What SFT and GRPO runs write into their output folder besides the step metrics: evaluations and the final model.</summary>
internal static class RunOutput
{
    /// <summary>Appends one <c>eval.jsonl</c> line: the step and each task's result.</summary>
    public static void AppendEval(string output, string fileName, int step, IReadOnlyDictionary<string, EvaluationResult> results)
    {
        var line = new JsonObject { ["step"] = step };
        foreach (var (task, result) in results) line[task] = JsonSerializer.SerializeToNode(result);
        File.AppendAllText(Path.Combine(output, fileName), line.ToJsonString() + "\n");
    }

    /// <summary>
    /// The trained model, loadable like any HF folder: the weights plus the tokenizer — the byte tokenizer's files, or a
    /// BPE tokenizer's files copied from the folder the run started from. A LoRA run writes its PEFT adapter
    /// (<c>adapter_config.json</c>, <c>adapter_model.safetensors</c>, for <c>serve --lora</c>) and also the base with the
    /// adapter merged in (PEFT's merge_and_unload), so <c>model.from</c>, <c>bench</c> and <c>eval</c> load it as any model.
    /// </summary>
    public static void SaveModel(string output, CausalLM model, LoraAdapter? adapter, ITokenizer tokenizer, string? sourceModel)
    {
        if (adapter is not null)
        {
            adapter.Save(output);
            adapter.Merge();
            try { CheckpointSaver.Save(model, output); }
            finally { adapter.Unmerge(); }
        }
        else CheckpointSaver.Save(model, output);
        if (tokenizer is ByteTokenizer bytes) bytes.Save(output);
        else if (sourceModel is not null) CopyTokenizerFiles(sourceModel, output);
    }

    private static void CopyTokenizerFiles(string source, string target)
    {
        string[] names = [TokenizerFiles.TokenizerJson, TokenizerFiles.TokenizerConfig, TokenizerFiles.GenerationConfig, TokenizerFiles.VocabJson, TokenizerFiles.MergesTxt, "special_tokens_map.json"];
        foreach (var name in names)
            if (File.Exists(Path.Combine(source, name))) File.Copy(Path.Combine(source, name), Path.Combine(target, name), overwrite: true);
    }
}
