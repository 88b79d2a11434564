using HierReason.Core.Episodes;
using HierReason.Core.Steps;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Grpo;

/// <summary>
/// The policy's text of an episode cut into lines (<see cref="StepLines.Split"/>), each with the completion token index at
/// which its text ends: the index in <see cref="Episode.CompletionTokenIds"/>, environment segments included, so it lines up
/// with <see cref="CompletionMask"/>'s positions. The text is each policy turn's tokens decoded one at a time as the policy
/// decodes its turns (special tokens such as <c>&lt;answer&gt;</c> written out, a stop token ending the turn left out), so every
/// character belongs to the token that completed it.
/// </summary>
/// <param name="EndTokens">Per line, the completion index of the token that completed its last character; -1 for an empty line.</param>
public sealed record PolicyLines(string Text, string[] Lines, int[] EndTokens)
{
    /// <param name="stopIds">Ids that end a policy turn and write no text (default: the tokenizer's EOS ids).</param>
    public static PolicyLines Of(Episode episode, ITokenizer tokenizer, IReadOnlyCollection<int>? stopIds = null)
    {
        stopIds ??= tokenizer.EosIds;
        var text = new System.Text.StringBuilder();
        var tokenOfChar = new List<int>();
        var position = 0;
        foreach (var segment in episode.Completion)
        {
            var ids = segment.TokenIds ?? throw new InvalidOperationException("a process advantage needs the episode's token ids");
            if (episode.IsPolicy(segment))
            {
                // Each policy turn decodes on its own: a character never spans two turns.
                var decoder = new IncrementalDecoder(tokenizer);
                var written = ids.Count > 0 && stopIds.Contains(ids[^1]) ? ids.Count - 1 : ids.Count;
                for (var k = 0; k < written; k++) Add(decoder.Push(ids[k]), position + k);
                if (written > 0) Add(decoder.Flush(), position + written - 1);
            }
            position += ids.Count;
        }
        var full = text.ToString();
        var lines = StepLines.Split(full);
        var ends = new int[lines.Length];
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            ends[i] = lines[i].Length == 0 ? -1 : tokenOfChar[start + lines[i].Length - 1];
            start += lines[i].Length + 1;
        }
        return new PolicyLines(full, lines, ends);

        void Add(string piece, int token)
        {
            text.Append(piece);
            for (var c = 0; c < piece.Length; c++) tokenOfChar.Add(token);
        }
    }
}
