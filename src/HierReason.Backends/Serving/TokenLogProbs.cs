namespace HierReason.Backends.Serving;

/// <summary>
/// One choice's tokens as the client sees them: each token's text, its log-probability (null for a sequence's first token,
/// which nothing predicts) and the likeliest alternatives at its position, likeliest first (null where the log-probability is).
/// </summary>
internal sealed record TokenLogProbs(string[] Tokens, float?[] LogProbs, (string Token, float LogProb)[]?[] Top)
{
    /// <summary>Given log-probabilities without alternatives (a choice reply scored by <see cref="ChoiceDecoder"/>).</summary>
    public static TokenLogProbs Plain(string[] tokens, float[] logProbs) =>
        new(tokens, logProbs.Select(l => (float?)l).ToArray(), tokens.Select(_ => Array.Empty<(string, float)>()).ToArray());
}
