using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Engine.Chat;
using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Sft;

namespace HierReason.Training.Preference;

/// <summary>
/// Step-DPO's resampling: <see cref="StepDpoPairs"/>' alternatives from a local model, <paramref name="samples"/> next lines
/// sampled after the question (rendered as SFT renders it) and the correct prefix, each cut at its first newline.
/// </summary>
public sealed class StepAlternativeSampler(CausalLM model, ITokenizer tokenizer, ChatTemplate template, int samples = 4, double temperature = 0.7,
    int maxLineTokens = 64, long seed = 0)
{
    /// <summary>The alternatives function for <paramref name="item"/>: distinct sampled lines, most frequent first.</summary>
    public Func<IReadOnlyList<string>, IEnumerable<string>> For(TaskItem item) => prefix => Sample(item.Question, prefix);

    /// <summary><paramref name="samples"/> sampled next lines after <paramref name="prefix"/>, distinct, most frequent first.</summary>
    public IReadOnlyList<string> Sample(string question, IReadOnlyList<string> prefix)
    {
        var prompt = tokenizer.Encode(SftExample.PromptText(question, template) + string.Concat(prefix.Select(l => l + "\n")));
        var stops = template.StopIds(tokenizer);
        var options = new GenerationOptions
        {
            MaxNewTokens = maxLineTokens,
            Temperature = temperature,
            NumSamples = samples,
            // Each prefix gets its own stream, so resampling one trajectory does not shift another's draws.
            Seed = unchecked(seed * 1_000_003 + prefix.Count * 7_919 + StableHash(question)),
            EosTokenIds = stops,
            PadTokenId = tokenizer.PadId,
        };
        var generated = new TokenGenerator(model).Generate([prompt], options, (_, ids) => tokenizer.Decode(ids).Contains('\n'));
        return generated
            .Select(g => StepLines.Split(tokenizer.Decode(g.TokenIds, skipSpecial: true))[0])
            .Where(line => line.Trim().Length > 0)
            .GroupBy(line => line, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .ToArray();
    }

    /// <summary>FNV-1a of the text: string.GetHashCode differs between processes.</summary>
    internal static long StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return (long)(hash >> 1);
    }
}
