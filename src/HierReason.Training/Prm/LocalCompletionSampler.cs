using HierReason.Engine.Inference;
using HierReason.Training.Sft;

namespace HierReason.Training.Prm;

/// <summary>
/// Continues partial solutions with a local model, in the exact text the SFT models were trained on: the universal task
/// prompt as the chat's user turn, the assistant header, then the prefix. States are batched up to
/// <paramref name="maxRows"/> generated rows per engine call (states × n), each chunk one <see cref="LocalModel.GenerateTokens"/>.
/// </summary>
public sealed class LocalCompletionSampler(LocalModel model, int maxRows = 256) : ICompletionSampler
{
    public IReadOnlyList<IReadOnlyList<string>> Complete(IReadOnlyList<SolutionState> states, int n, StepSampling sampling, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var results = new List<IReadOnlyList<string>>(states.Count);
        // At least one state per chunk, however large n is.
        var perChunk = Math.Max(1, maxRows / n);
        for (var start = 0; start < states.Count; start += perChunk)
        {
            var chunk = states.Skip(start).Take(perChunk).ToArray();
            var prompts = chunk
                .Select(s => (IReadOnlyList<int>)model.Tokenizer.Encode(SftExample.PromptText(s.Question, model.ChatTemplate) + s.Prefix, addSpecial: false))
                .ToArray();
            var settings = new TextGenerationSettings
            {
                N = n,
                Temperature = sampling.Temperature,
                TopP = sampling.TopP,
                MaxNewTokens = sampling.MaxNewTokens,
                // Chunks draw from distinct streams; the same seed and chunking reproduce on CPU.
                Seed = seed + start,
            };
            foreach (var completions in model.GenerateTokens(prompts, settings))
                results.Add(completions.Select(c => c.Text).ToArray());
        }
        return results;
    }
}
