using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using static TorchSharp.torch;

namespace HierReason.Cli.Tests.Commands;

/// <summary>
/// A tiny byte-level model folder whose greedy reply to any chat is <c>&lt;search&gt;WORD WORD …</c>: every block's output
/// projections are zero, so the last hidden state is the current token's embedding and the (untied) lm_head is a
/// bigram table, set so that the generation prompt's final newline is followed by the search tag and then the word
/// repeated. A random model hardly ever writes a search; this one makes the searcher's own retrieval loop run.
/// </summary>
internal static class SearchingModel
{
    /// <summary>Writes the model to <paramref name="directory"/>; <paramref name="word"/>'s characters must be distinct and not in "\n&lt;search&gt; ".</summary>
    public static void Write(string directory, string word, long seed = 3)
    {
        var text = "\n<search>" + word + " ";
        if (text.Distinct().Count() != text.Length) throw new ArgumentException($"'{word}' repeats a character of the chain", nameof(word));
        var tokenizer = new ByteTokenizer();
        var config = ModelConfig.Tiny(tokenizer.VocabSize, tokenizer.BosId, tokenizer.EosIds) with { TieWordEmbeddings = false };
        using var model = TinyModelFactory.Create(config, seed);
        using (no_grad())
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in parameters)
                if (name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal)) parameter.zero_();
            var embed = parameters.Single(p => p.Key.EndsWith("embed_tokens.weight", StringComparison.Ordinal)).Value;
            var head = parameters.Single(p => p.Key.StartsWith("lm_head", StringComparison.Ordinal) && p.Key.EndsWith("weight", StringComparison.Ordinal)).Value;
            // Each character of the chain points to the next; the space after the word points back to its first character.
            for (var i = 0; i < text.Length; i++)
            {
                var (from, to) = (text[i], i + 1 < text.Length ? text[i + 1] : word[0]);
                using var row = embed[from] / embed[from].norm() * 50;
                head[to].add_(row);
            }
        }
        CheckpointSaver.Save(model, directory);
        tokenizer.Save(directory);
    }
}
