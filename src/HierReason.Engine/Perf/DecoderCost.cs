namespace HierReason.Engine.Perf;

/// <summary>Parameter counts, FLOPs and bytes moved by a decoder's prefill and decode steps, from its shape alone.</summary>
/// <remarks>FLOPs count a multiply-add as two and cover the matmuls (projections, MLP, lm_head) and attention
/// (QKᵀ and AV, causal); norms, activations, softmax and rotary embeddings are lower-order and left out.
/// Bytes count weights read once per forward and the KV cache; activations are left out.</remarks>
public static class DecoderCost
{
    /// <summary>All parameters: embedding, layers (attention, MLP, two norms), final norm, and lm_head unless tied.</summary>
    public static long Parameters(DecoderShape s)
    {
        long h = s.Hidden;
        var perLayer = AttentionWeights(s) + MlpWeights(s) + 2 * h;
        if (s.QkvBias)
            perLayer += (long)(s.Heads + 2 * s.KvHeads) * s.HeadDim;
        var embedding = (long)s.Vocab * h;
        return embedding + s.Layers * perLayer + h + (s.Tied ? 0 : embedding);
    }

    /// <summary>Weights that take part in matmuls for every token: the layers' projections and MLP, and lm_head (the
    /// embedding lookup is a gather, not a matmul).</summary>
    public static long MatmulParameters(DecoderShape s) =>
        LayerMatmulParameters(s) + (long)s.Vocab * s.Hidden;

    /// <summary>The layers' projection and MLP weights: what every position costs, with or without lm_head.</summary>
    public static long LayerMatmulParameters(DecoderShape s) => s.Layers * (AttentionWeights(s) + MlpWeights(s));

    /// <summary>FLOPs of a prefill of <paramref name="tokens"/> tokens for each of <paramref name="batch"/> sequences.</summary>
    public static double PrefillFlops(DecoderShape s, int tokens, int batch = 1)
    {
        var matmuls = 2.0 * MatmulParameters(s) * tokens;
        // Query i attends to i keys: QKᵀ and AV cost 2·hd·i each per head, and Σi = T(T+1)/2.
        var attention = 4.0 * s.Layers * s.Heads * s.HeadDim * (tokens * (tokens + 1.0) / 2.0);
        return batch * (matmuls + attention);
    }

    /// <summary>FLOPs of one decode step for <paramref name="batch"/> sequences whose new token attends to
    /// <paramref name="contextLength"/> positions (itself included).</summary>
    public static double DecodeFlops(DecoderShape s, int contextLength, int batch = 1)
    {
        var matmuls = 2.0 * MatmulParameters(s);
        var attention = 4.0 * s.Layers * s.Heads * s.HeadDim * (double)contextLength;
        return batch * (matmuls + attention);
    }

    /// <summary>
    /// FLOPs of one forward pass as it is computed, padding included: <paramref name="positions"/> query positions through
    /// every layer, <paramref name="attendedKeys"/> summed over those positions (each query's keys, masked ones included
    /// where the kernel computes them), and <paramref name="logitPositions"/> of them projected through lm_head. A training
    /// step (forward + backward) costs three times its forward.
    /// </summary>
    public static double ForwardFlops(DecoderShape s, long positions, double attendedKeys, long logitPositions)
    {
        var layers = 2.0 * LayerMatmulParameters(s) * positions;
        var head = 2.0 * s.Vocab * (double)s.Hidden * logitPositions;
        var attention = 4.0 * s.Layers * s.Heads * s.HeadDim * attendedKeys;
        return layers + head + attention;
    }

    /// <summary>Keys a causal forward of <paramref name="queries"/> new positions after <paramref name="past"/> cached ones attends to, summed over the queries.</summary>
    public static double CausalKeys(long queries, long past = 0) => queries * (past + (queries + 1) / 2.0);

    /// <summary>Bytes of KV cache for <paramref name="batch"/> sequences of <paramref name="contextLength"/> positions.</summary>
    public static double KvCacheBytes(DecoderShape s, int contextLength, int batch = 1, int kvBytes = 2) =>
        2.0 * s.Layers * s.KvHeads * s.HeadDim * (double)contextLength * batch * kvBytes;

    /// <summary>Bytes one decode step moves: every weight once (shared by the batch) plus each sequence's KV cache.</summary>
    public static double DecodeBytes(DecoderShape s, int contextLength, int batch = 1, int weightBytes = 2, int kvBytes = 2) =>
        WeightBytesPerForward(s, batch, weightBytes) + KvCacheBytes(s, contextLength, batch, kvBytes);

    /// <summary>Bytes a prefill moves: every weight once plus the KV cache it writes.</summary>
    public static double PrefillBytes(DecoderShape s, int tokens, int batch = 1, int weightBytes = 2, int kvBytes = 2) =>
        WeightBytesPerForward(s, (long)tokens * batch, weightBytes) + KvCacheBytes(s, tokens, batch, kvBytes);

    private static long AttentionWeights(DecoderShape s)
    {
        long h = s.Hidden;
        var q = (long)s.Heads * s.HeadDim;
        var kv = (long)s.KvHeads * s.HeadDim;
        return h * q + 2 * h * kv + q * h; // q_proj, k_proj, v_proj, o_proj
    }

    private static long MlpWeights(DecoderShape s) => 3L * s.Hidden * s.Intermediate; // gate, up, down

    // An untied embedding table is only gathered (one row per token); a tied one is read whole by lm_head anyway.
    private static double WeightBytesPerForward(DecoderShape s, long tokens, int weightBytes)
    {
        double weights = Parameters(s);
        if (!s.Tied)
            weights -= (double)s.Vocab * s.Hidden - Math.Min(tokens, s.Vocab) * (double)s.Hidden;
        return weights * weightBytes;
    }
}
