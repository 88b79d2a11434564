namespace HierReason.Training.Episodes;

/// <summary>A run of tokens in an episode written by one source (the prompt, the policy or the environment).</summary>
public sealed record Segment(SegmentSource Source, IReadOnlyList<int> TokenIds, string Text)
{
    /// <summary>A segment whose token ids are the tokenizer's encoding of <paramref name="text"/>.</summary>
    public static Segment Encode(SegmentSource source, string text, HierReason.Engine.Tokenizers.ITokenizer tokenizer) =>
        new(source, tokenizer.Encode(text), text);
}
