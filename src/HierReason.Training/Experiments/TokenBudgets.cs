using System.Globalization;
using HierReason.Core;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Sft;

namespace HierReason.Training.Experiments;

/// <summary>
/// Checks an experiment's token budgets against its model before anything is trained or written: <c>sft.max_seq_len</c>
/// must hold the prompts and some answer and fit the model's context; <c>grpo.max_new_tokens</c> plus the prompts must
/// fit the context. The prompts are the chat-rendered first items of each task (each curriculum level included), so a budget
/// no prompt fits fails with the file and JSON path that set it instead of a run-time error after metrics.jsonl exists.
/// </summary>
internal static class TokenBudgets
{
    /// <summary>Items per task (and level) whose prompts are measured: enough to see a budget that fits no prompt, cheap at parse time.</summary>
    public const int SampledItems = 16;

    /// <summary>The tokenizer, chat template and context of the model an experiment starts from, or null while its folder does not exist yet.</summary>
    public static (ITokenizer Tokenizer, ChatTemplate Template, int Context)? ModelFacts(ModelSection model)
    {
        if (model.Path is not { } folder)
        {
            var bytes = new ByteTokenizer();
            return (bytes, ChatTemplates.ForTokenizer(bytes), ModelConfig.Tiny(bytes.VocabSize).MaxPositionEmbeddings);
        }
        // A "from" folder is written by another experiment, possibly later in the same `train --models` run.
        if (!File.Exists(Path.Combine(folder, "config.json"))) return null;
        var config = ModelConfig.Load(Path.Combine(folder, "config.json"));
        var tokenizer = TokenizerLoader.Load(folder);
        return (tokenizer, ChatTemplates.ForModel(folder, tokenizer), config.MaxPositionEmbeddings);
    }

    /// <summary>Throws a <see cref="ConfigException"/> at the budget that does not fit; <paramref name="fileOf"/> names the file that set a JSON path.</summary>
    public static void Check(ExperimentConfig experiment, ITokenizer tokenizer, ChatTemplate template, int context, Func<string, string> fileOf)
    {
        var (longest, itemId) = LongestPrompt(experiment, tokenizer, template);
        if (experiment.Grpo is { } grpo)
        {
            const string at = "$.grpo.max_new_tokens";
            var completion = grpo.Options.MaxCompletionLength;
            if (longest + completion > context)
                throw new ConfigException(fileOf(at), at, Invariant(
                    $"at most {Math.Max(0, context - longest)}: the model's context is {context} positions (max_position_embeddings) and the prompt of {itemId} is {longest} tokens"),
                    completion.ToString(CultureInfo.InvariantCulture));
            return;
        }
        const string sftAt = "$.sft.max_seq_len";
        var maxSeqLen = experiment.Sft.MaxSeqLen;
        if (maxSeqLen > context)
            throw new ConfigException(fileOf(sftAt), sftAt, Invariant($"at most {context}, the model's context (max_position_embeddings)"), maxSeqLen.ToString(CultureInfo.InvariantCulture));
        if (longest >= maxSeqLen)
            throw new ConfigException(fileOf(sftAt), sftAt, Invariant(
                $"at least {longest + 1}: the chat-rendered prompt of {itemId} alone is {longest} tokens with this model's tokenizer, and the answer needs room after it"),
                maxSeqLen.ToString(CultureInfo.InvariantCulture));
    }

    private static (int Longest, string ItemId) LongestPrompt(ExperimentConfig experiment, ITokenizer tokenizer, ChatTemplate template)
    {
        var configs = experiment.Data.Tasks.Select(t => (t.Task, t.Config, t.Level)).ToList();
        if (experiment.Curriculum is { } curriculum)
            foreach (var task in curriculum.Tasks)
                for (var level = task.MinLevel; level <= task.MaxLevel; level++)
                    configs.Add((task.Task, task.Levels[level], level));
        var (longest, itemId) = (0, "");
        foreach (var (task, config, level) in configs)
        {
            foreach (var item in TaskDataset.Create(task, Split.Train, experiment.Data.Seed, SampledItems, config, level))
            {
                var length = tokenizer.Encode(SftExample.PromptText(item.Question, template)).Length;
                if (length > longest) (longest, itemId) = (length, item.Id);
            }
        }
        return (longest, itemId);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
