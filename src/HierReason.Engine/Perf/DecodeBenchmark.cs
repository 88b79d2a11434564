using System.Diagnostics;
using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Perf;

/// <summary>Times prefill and KV-cached decoding of a model on synthetic prompts (for <c>hierreason perf</c>); tests never assert on it.</summary>
public static class DecodeBenchmark
{
    /// <summary>
    /// Runs one warm-up and <paramref name="repeats"/> timed rounds; each round prefills <paramref name="batch"/> prompts of
    /// <paramref name="promptTokens"/> tokens and samples exactly <paramref name="newTokens"/> tokens for each (EOS ignored).
    /// </summary>
    public static DecodeThroughput Measure(CausalLM model, int batch = 8, int promptTokens = 64, int newTokens = 64, int repeats = 3, long seed = 0)
    {
        if (batch < 1 || promptTokens < 1 || newTokens < 1 || repeats < 1)
            throw new EngineException("perf: batch, prompt tokens, new tokens and repeats must all be at least 1");
        var random = new Random((int)seed);
        var prompts = Enumerable.Range(0, batch)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, promptTokens).Select(_ => random.Next(model.Config.VocabSize)).ToArray())
            .ToArray();
        // An id no token has, so every sequence runs to its budget and all rounds do equal work.
        var options = new GenerationOptions { MaxNewTokens = newTokens, Temperature = 1.0, Seed = seed, EosTokenIds = [-1] };
        var generator = new TokenGenerator(model);

        Prefill(model, prompts);
        generator.Generate(prompts, options);
        double prefillSeconds = 0, generateSeconds = 0;
        for (var r = 0; r < repeats; r++)
        {
            prefillSeconds += Prefill(model, prompts);
            var clock = Stopwatch.StartNew();
            generator.Generate(prompts, options);
            generateSeconds += clock.Elapsed.TotalSeconds;
        }
        prefillSeconds /= repeats;
        var decodeSeconds = Math.Max(generateSeconds / repeats - prefillSeconds, 1e-9);
        return new DecodeThroughput(
            model.Spec.ToString(),
            model.parameters().Sum(p => p.numel()),
            batch,
            promptTokens,
            newTokens,
            batch * promptTokens / prefillSeconds,
            batch * newTokens / decodeSeconds,
            decodeSeconds * 1000 / newTokens);
    }

    private static double Prefill(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var batch = PaddedBatch.LeftPadded(prompts, 0, model.Device);
        using var cache = model.CreateCache(prompts.Count, batch.Width);
        var clock = Stopwatch.StartNew();
        var logits = model.Forward(batch.Ids, batch.Positions, cache, batch.Mask, logitsToKeep: 1);
        // Reading a value back waits for queued GPU work, so the clock measures compute, not launch.
        _ = logits[0, 0, 0].cpu().item<float>();
        return clock.Elapsed.TotalSeconds;
    }
}
