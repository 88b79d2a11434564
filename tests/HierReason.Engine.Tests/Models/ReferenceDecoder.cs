using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Models;

/// <summary>
/// An independent, loop-by-loop double-precision Llama/Qwen2 forward written from the HF definitions, so layout
/// slips (head splits, rotate-half pairing, KV-head grouping) that self-consistency tests cannot see are caught.
/// </summary>
internal sealed class ReferenceDecoder(CausalLM model)
{
    private readonly ModelConfig _c = model.Config;
    private readonly Dictionary<string, double[]> _w = model.named_parameters()
        .ToDictionary(p => p.name, p => p.parameter.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray());

    public double[][] Logits(IReadOnlyList<int> ids)
    {
        var c = _c;
        var x = ids.Select(id => Row(_w["model.embed_tokens.weight"], id, c.HiddenSize)).ToArray();
        for (var l = 0; l < c.NumHiddenLayers; l++)
        {
            var p = $"model.layers.{l}.";
            var h = x.Select(v => RmsNorm(v, _w[p + "input_layernorm.weight"])).ToArray();
            var q = h.Select(v => Linear(v, p + "self_attn.q_proj", c.NumAttentionHeads * c.HeadDim)).ToArray();
            var k = h.Select(v => Linear(v, p + "self_attn.k_proj", c.NumKeyValueHeads * c.HeadDim)).ToArray();
            var vv = h.Select(v => Linear(v, p + "self_attn.v_proj", c.NumKeyValueHeads * c.HeadDim)).ToArray();
            for (var t = 0; t < ids.Count; t++)
            {
                for (var head = 0; head < c.NumAttentionHeads; head++) Rotate(q[t], head * c.HeadDim, t);
                for (var head = 0; head < c.NumKeyValueHeads; head++) Rotate(k[t], head * c.HeadDim, t);
            }
            var attn = new double[ids.Count][];
            for (var t = 0; t < ids.Count; t++)
            {
                attn[t] = new double[c.NumAttentionHeads * c.HeadDim];
                for (var head = 0; head < c.NumAttentionHeads; head++)
                {
                    var kvHead = head / c.KvGroups;
                    var scores = Enumerable.Range(0, t + 1).Select(s =>
                        Enumerable.Range(0, c.HeadDim).Sum(d => q[t][head * c.HeadDim + d] * k[s][kvHead * c.HeadDim + d]) / Math.Sqrt(c.HeadDim)).ToArray();
                    var max = scores.Max();
                    var weights = scores.Select(z => Math.Exp(z - max)).ToArray();
                    var total = weights.Sum();
                    for (var s = 0; s <= t; s++)
                        for (var d = 0; d < c.HeadDim; d++)
                            attn[t][head * c.HeadDim + d] += weights[s] / total * vv[s][kvHead * c.HeadDim + d];
                }
            }
            for (var t = 0; t < ids.Count; t++)
            {
                x[t] = Add(x[t], Linear(attn[t], p + "self_attn.o_proj", c.HiddenSize));
                var n = RmsNorm(x[t], _w[p + "post_attention_layernorm.weight"]);
                var gate = Linear(n, p + "mlp.gate_proj", c.IntermediateSize);
                var up = Linear(n, p + "mlp.up_proj", c.IntermediateSize);
                var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                x[t] = Add(x[t], Linear(act, p + "mlp.down_proj", c.HiddenSize));
            }
        }
        var output = c.TieWordEmbeddings ? "model.embed_tokens" : "lm_head";
        return x.Select(v => MatVec(_w[output + ".weight"], RmsNorm(v, _w["model.norm.weight"]), c.VocabSize)).ToArray();
    }

    // HF rotate-half: dimension i pairs with i + hd/2 and both turn by position · θ^(−2i/hd).
    private void Rotate(double[] v, int offset, int position)
    {
        var half = _c.HeadDim / 2;
        for (var i = 0; i < half; i++)
        {
            var angle = position * Math.Pow(_c.RopeTheta, -2.0 * i / _c.HeadDim);
            var (a, b) = (v[offset + i], v[offset + i + half]);
            v[offset + i] = a * Math.Cos(angle) - b * Math.Sin(angle);
            v[offset + i + half] = b * Math.Cos(angle) + a * Math.Sin(angle);
        }
    }

    private double[] Linear(double[] v, string name, int outputs)
    {
        var y = MatVec(_w[name + ".weight"], v, outputs);
        return _w.TryGetValue(name + ".bias", out var bias) ? Add(y, bias) : y;
    }

    private double[] RmsNorm(double[] v, double[] scale)
    {
        var inv = 1 / Math.Sqrt(v.Sum(z => z * z) / v.Length + _c.RmsNormEps);
        return v.Select((z, i) => z * inv * scale[i]).ToArray();
    }

    private static double[] MatVec(double[] w, double[] v, int rows) =>
        Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, v.Length).Sum(j => w[r * v.Length + j] * v[j])).ToArray();

    private static double[] Row(double[] w, int row, int width) => w.AsSpan(row * width, width).ToArray();

    private static double[] Add(double[] a, double[] b) => a.Select((z, i) => z + b[i]).ToArray();
}
