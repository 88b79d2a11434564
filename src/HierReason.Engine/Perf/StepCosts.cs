using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Perf;

/// <summary>Turns a measured time into a <see cref="ThroughputMeasurement"/> by pricing the same work with DecoderCost and the roofline.</summary>
internal sealed class StepCosts(BenchmarkedModel model, ScalarType dtype, MachineBaseline baseline)
{
    public DecoderShape Shape { get; } = DecoderShape.Of(model.Config);
    public int ElementBytes { get; } = dtype == ScalarType.Float32 ? 4 : 2;
    private bool Half => dtype != ScalarType.Float32;

    public ThroughputMeasurement Prefill(int batch, int tokens, double seconds, int runs)
    {
        // The timed prefill projects only the last position through lm_head, so the other positions' lm_head FLOPs are not owed.
        var flops = DecoderCost.PrefillFlops(Shape, tokens, batch) - 2.0 * Shape.Vocab * Shape.Hidden * (tokens - 1) * batch;
        var bytes = DecoderCost.PrefillBytes(Shape, tokens, batch, ElementBytes, ElementBytes);
        return Measurement("prefill", batch, tokens, tokens, seconds, runs, flops, bytes);
    }

    public ThroughputMeasurement Decode(int batch, int promptTokens, int steps, double seconds, int runs)
    {
        double flops = 0, bytes = 0, floor = 0;
        for (var s = 0; s < steps; s++)
        {
            // Step s feeds the token at position promptTokens + s, which attends to everything up to and including itself.
            var context = promptTokens + s + 1;
            var f = DecoderCost.DecodeFlops(Shape, context, batch);
            var b = DecoderCost.DecodeBytes(Shape, context, batch, ElementBytes, ElementBytes);
            flops += f;
            bytes += b;
            floor += Roofline.Floor(f, b, baseline, Half);
        }
        return Measurement("decode", batch, promptTokens, steps, seconds, runs, flops, bytes, floor);
    }

    private ThroughputMeasurement Measurement(string phase, int batch, int promptTokens, int tokens, double seconds, int runs, double flops, double bytes, double? floor = null)
    {
        var floorSeconds = floor ?? Roofline.Floor(flops, bytes, baseline, Half);
        var computeBound = Roofline.IsComputeBound(flops, bytes, baseline.MatmulFlopsPerSecond(Half), baseline.CopyBytesPerSecond);
        return new ThroughputMeasurement(model.Name, DeviceSpec.DTypeName(dtype), phase, batch, promptTokens, tokens, seconds,
            (double)batch * tokens / seconds, floorSeconds, floorSeconds / seconds, computeBound ? "compute" : "memory", runs);
    }
}
