using System.Diagnostics;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Engine.Perf;

/// <summary>Times prefill and greedy decode steps of one model, each run in its own dispose scope, best of several runs.</summary>
internal sealed class DecodeTimer(CausalLM model, int repeats, double secondsPerMeasurement, long seed)
{
    /// <summary>Best seconds of a (batch × tokens) prefill that fills a KV cache and projects the last position.</summary>
    public (double Seconds, int Runs) Prefill(int batch, int tokens)
    {
        using var noGrad = no_grad();
        using var cache = model.CreateCache(batch, tokens);
        using var ids = RandomTokens(batch, tokens);                                           // (B, T)
        double Run(int length)
        {
            using var scope = NewDisposeScope();
            cache.Reset();
            var input = ids.narrow(1, 0, length);                                              // (B, T')
            var watch = Stopwatch.StartNew();
            var logits = model.Forward(input, Positions(batch, 0, length), cache, lastPositionOnly: true);   // (B, 1, V)
            logits.argmax(-1).cpu();
            return watch.Elapsed.TotalSeconds;
        }
        // A short warm-up sets up kernels and the allocator without paying for a second full prefill.
        return Best(() => Run(Math.Min(tokens, 16)), () => Run(tokens));
    }

    /// <summary>
    /// Best seconds of <paramref name="steps"/> greedy decode steps for <paramref name="batch"/> sequences after an untimed
    /// prefill of one <paramref name="promptTokens"/> prompt shared by all of them, as GRPO's groups share theirs.
    /// </summary>
    public (double Seconds, int Runs) Decode(int batch, int promptTokens, int steps)
    {
        using var noGrad = no_grad();
        using var prompt = RandomTokens(1, promptTokens);                                      // (1, P)
        double Run(int count)
        {
            using var scope = NewDisposeScope();
            // Prefilling the whole batch would cost batch × the prompt's FLOPs per run; one row expanded costs one.
            using var cache = model.CreateCache(1, promptTokens + steps);
            var logits = model.Forward(prompt, Positions(1, 0, promptTokens), cache, lastPositionOnly: true);   // (1, 1, V)
            cache.Expand(batch);
            var next = logits.argmax(-1).expand(batch, 1).contiguous();                        // (B, 1)
            Synchronize();
            var watch = Stopwatch.StartNew();
            for (var s = 0; s < count; s++) next = Step(next, cache, promptTokens + s);
            return watch.Elapsed.TotalSeconds;
        }
        return Best(() => Run(Math.Min(steps, 2)), () => Run(steps));
    }

    /// <summary>Greedy decoding of one prompt with the KV cache: seconds (prefill included) and the tokens.</summary>
    public (double Seconds, int[] Tokens) GreedyWithCache(int[] prompt, int newTokens)
    {
        using var noGrad = no_grad();
        using var cache = model.CreateCache(1, prompt.Length + newTokens);
        using var scope = NewDisposeScope();
        var tokens = new List<int>();
        var watch = Stopwatch.StartNew();
        var next = model.Forward(Ids(prompt), Positions(1, 0, prompt.Length), cache, lastPositionOnly: true).argmax(-1);   // (1, 1)
        tokens.Add((int)next.cpu().item<long>());
        for (var s = 1; s < newTokens; s++)
        {
            next = Step(next, cache, prompt.Length + s - 1);
            tokens.Add((int)next.cpu().item<long>());
        }
        return (watch.Elapsed.TotalSeconds, tokens.ToArray());
    }

    /// <summary>Greedy decoding without a cache: each token costs a forward over the whole sequence so far.</summary>
    public (double Seconds, int[] Tokens) GreedyWithoutCache(int[] prompt, int newTokens)
    {
        using var noGrad = no_grad();
        var sequence = prompt.ToList();
        var watch = Stopwatch.StartNew();
        for (var s = 0; s < newTokens; s++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(Ids(sequence), Positions(1, 0, sequence.Count), lastPositionOnly: true);   // (1, 1, V)
            sequence.Add((int)logits.argmax(-1).cpu().item<long>());
        }
        return (watch.Elapsed.TotalSeconds, sequence.Skip(prompt.Length).ToArray());
    }

    /// <summary>Random prompt ids from the benchmark seed, drawn on the CPU so every device sees the same prompt.</summary>
    public int[] RandomPrompt(int tokens)
    {
        using var ids = RandomTokens(1, tokens);
        return ids.cpu().data<long>().Select(id => (int)id).ToArray();
    }

    // One decode step: the new token's logits, greedy pick, and the id copied to the host as generation does.
    private Tensor Step(Tensor next, KvCache cache, long position)
    {
        using var scope = NewDisposeScope();
        var batch = next.shape[0];
        var logits = model.Forward(next, Positions(batch, position, 1), cache, lastPositionOnly: true);   // (B, 1, V)
        var picked = logits.argmax(-1);                                                         // (B, 1)
        picked.cpu();
        return picked.MoveToOuterDisposeScope();
    }

    private (double Seconds, int Runs) Best(Action warmUp, Func<double> run)
    {
        warmUp();
        var best = double.MaxValue;
        var runs = 0;
        var spent = Stopwatch.StartNew();
        while (runs < repeats && (runs == 0 || spent.Elapsed.TotalSeconds < secondsPerMeasurement))
        {
            best = Math.Min(best, run());
            runs++;
        }
        return (Math.Max(best, 1e-9), runs);
    }

    private Tensor RandomTokens(long batch, long tokens)
    {
        using var generator = new Generator((ulong)seed, new Device(DeviceType.CPU));
        var ids = randint(0, model.Config.VocabSize, [batch, tokens], dtype: ScalarType.Int64, generator: generator);   // (B, T)
        return ids.to(model.Device).DetachFromDisposeScope();
    }

    private Tensor Ids(IReadOnlyList<int> ids) =>
        tensor(ids.Select(id => (long)id).ToArray(), [1, ids.Count], dtype: ScalarType.Int64, device: model.Device);   // (1, T)

    private Tensor Positions(long batch, long start, long length) =>
        arange(start, start + length, dtype: ScalarType.Int64, device: model.Device).unsqueeze(0).expand(batch, -1);   // (B, T)

    private void Synchronize()
    {
        if (model.Device.type == DeviceType.CUDA) cuda.synchronize(model.Device);
    }
}
