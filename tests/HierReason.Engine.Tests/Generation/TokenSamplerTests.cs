using HierReason.Engine.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Tests.Generation;

public class TokenSamplerTests
{
    // Probabilities 0.5, 0.3, 0.15, 0.05, shuffled so truncation cannot rely on the input order.
    private static Tensor Logits() => tensor(new[] { 0.15f, 0.5f, 0.05f, 0.3f }).log().unsqueeze(0);

    private static bool[] Kept(Tensor filtered) =>
        filtered[0].isfinite().data<bool>().ToArray();

    [Fact]
    public void Top_k_keeps_the_k_most_likely_tokens()
    {
        using var logits = Logits();
        using var filtered = TokenSampler.Truncate(logits, new GenerationOptions { TopK = 2 });
        Assert.Equal([false, true, false, true], Kept(filtered));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        using var logits = Logits();
        using var at70 = TokenSampler.Truncate(logits, new GenerationOptions { TopP = 0.7 });
        using var at90 = TokenSampler.Truncate(logits, new GenerationOptions { TopP = 0.9 });
        Assert.Equal([false, true, false, true], Kept(at70));
        Assert.Equal([true, true, false, true], Kept(at90));
    }

    [Fact]
    public void Greedy_picks_the_argmax_and_reports_its_untempered_logprob()
    {
        using var logits = Logits();
        var (tokens, logProbs) = TokenSampler.Sample(logits, new GenerationOptions { Temperature = 0 }, null);
        Assert.Equal(1, tokens[0].item<long>());
        Assert.Equal(Math.Log(0.5), logProbs[0].item<float>(), 1e-5);
    }

    [Fact]
    public void Sampled_frequencies_follow_the_tempered_distribution()
    {
        using var logits = Logits().expand(4000, -1).contiguous();
        using var generator = new Generator(17, CPU);
        var (tokens, logProbs) = TokenSampler.Sample(logits, new GenerationOptions { Temperature = 1 }, generator);
        var counts = tokens.bincount(null, 4).data<long>().ToArray();
        Assert.InRange(counts[1] / 4000.0, 0.46, 0.54);
        Assert.InRange(counts[3] / 4000.0, 0.26, 0.34);
        Assert.InRange(counts[2] / 4000.0, 0.03, 0.07);
        // Each reported logprob is the chosen token's own.
        var expected = tokens.data<long>().ToArray().Select(t => (float)Math.Log(new[] { 0.15, 0.5, 0.05, 0.3 }[t])).ToArray();
        Assert.Equal(expected, logProbs.data<float>().ToArray(), new ToleranceComparer(1e-5f));
    }

    [Fact]
    public void Tempered_samples_report_the_log_softmax_of_the_tempered_logits_with_and_without_truncation()
    {
        using var logits = Logits().expand(64, -1).contiguous();
        using var expected = (logits / 0.5).log_softmax(-1);
        foreach (var options in new[] { new GenerationOptions { Temperature = 0.5 }, new GenerationOptions { Temperature = 0.5, TopK = 3, TopP = 0.95 } })
        {
            using var generator = new Generator(3, CPU);
            var (tokens, logProbs) = TokenSampler.Sample(logits, options, generator);
            var want = expected.gather(-1, tokens.unsqueeze(-1)).squeeze(-1).data<float>().ToArray();
            Assert.Equal(want, logProbs.data<float>().ToArray(), new ToleranceComparer(1e-5f));
            if (options.TopK == 3) Assert.DoesNotContain(2L, tokens.data<long>().ToArray());
        }
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
