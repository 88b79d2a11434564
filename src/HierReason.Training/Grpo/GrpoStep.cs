using HierReason.Engine.Generation;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Episodes;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Training.Grpo;

/// <summary>
/// One GRPO step on a causal LM, wired from the pure pieces: rollout (G samples per prompt) → rewards →
/// <see cref="GroupAdvantages"/> → optional <see cref="DynamicSampling"/> → old and reference logprobs →
/// <see cref="PolicyLoss"/> → backward → optimiser step, μ times. Single-turn; the optimiser is the caller's.
/// </summary>
public sealed class GrpoStep
{
    private readonly CausalLM _policy;
    private readonly ITokenizer _tokenizer;
    private readonly optim.Optimizer _optimizer;
    private readonly GrpoOptions _options;
    private readonly LoraAdapter? _adapter;
    private readonly CausalLM? _reference;

    /// <summary>
    /// With β ≠ 0 the reference is the policy with <paramref name="adapter"/> disabled, or else <paramref name="reference"/>
    /// (e.g. <see cref="CausalLM.FrozenCopy"/> for a full finetune).
    /// </summary>
    public GrpoStep(CausalLM policy, ITokenizer tokenizer, optim.Optimizer optimizer, GrpoOptions options,
        LoraAdapter? adapter = null, CausalLM? reference = null)
    {
        options.Validate();
        if (options.Beta != 0 && adapter is null && reference is null)
            throw new TrainingException("grpo: beta > 0 needs a reference model (a LoRA adapter to disable, or a frozen copy)");
        _policy = policy;
        _tokenizer = tokenizer;
        _optimizer = optimizer;
        _options = options;
        _adapter = adapter;
        _reference = reference;
    }

    /// <summary>
    /// Runs one step for <paramref name="prompts"/> (token ids); <paramref name="reward"/> scores (prompt index, episode).
    /// <paramref name="step"/> offsets the sampling seed so successive steps draw different completions.
    /// </summary>
    public GrpoStepResult Run(IReadOnlyList<IReadOnlyList<int>> prompts, Func<int, Episode, double> reward, long step = 0)
    {
        var g = _options.NumGenerations;
        var episodes = Rollout(prompts, step);
        var rewards = episodes.Select((e, i) => reward(i / g, e)).ToArray();
        var advantages = GroupAdvantages.Compute(rewards, g, _options.ScaleRewards);
        var zeroVariance = DynamicSampling.ZeroVarianceFraction(rewards, g);
        var groups = _options.DynamicSampling
            ? DynamicSampling.InformativeGroups(rewards, g)
            : Enumerable.Range(0, prompts.Count).ToArray();
        if (groups.Length == 0) return new GrpoStepResult(episodes, rewards, advantages, groups, zeroVariance, null, null);

        var rows = DynamicSampling.SampleIndices(groups, g);
        var trained = rows.Select(r => episodes[r]).ToArray();
        var (loss, metrics) = Optimise(trained, rows.Select(r => advantages[r]).ToArray());
        return new GrpoStepResult(episodes, rewards, advantages, groups, zeroVariance, loss, metrics);
    }

    /// <summary>G sampled completions per prompt as closed single-turn episodes, group-major.</summary>
    private Episode[] Rollout(IReadOnlyList<IReadOnlyList<int>> prompts, long step)
    {
        var generation = new GenerationOptions
        {
            MaxNewTokens = _options.MaxCompletionLength,
            Temperature = _options.Temperature,
            TopP = _options.TopP,
            NumSamples = _options.NumGenerations,
            Seed = _options.Seed + step,
            EosTokenIds = _tokenizer.EosIds,
            PadTokenId = _tokenizer.PadId,
        };
        var sequences = new TokenGenerator(_policy).Generate(prompts, generation);
        return sequences.Select(s =>
        {
            var prompt = prompts[s.PromptIndex];
            return new Episode(new Segment(SegmentSource.Prompt, prompt, _tokenizer.Decode(prompt)))
                .Append(new Segment(SegmentSource.Policy, s.TokenIds, _tokenizer.Decode(s.TokenIds)))
                .Finish(s.FinishReason);
        }).ToArray();
    }

    private (double Loss, PolicyLossMetrics Metrics) Optimise(IReadOnlyList<Episode> episodes, double[] advantages)
    {
        using var scope = NewDisposeScope();
        var device = _policy.Device;
        var pairs = episodes.Select(e => (e.Prompt.TokenIds, e.CompletionTokenIds)).ToArray();
        var mask = CompletionMask.ToTensor(episodes, _options.MaskTruncatedCompletions, device);           // (B, T)
        var adv = tensor(advantages, dtype: ScalarType.Float32, device: device);                             // (B)
        var settings = PolicyLossSettings.From(_options);

        Tensor? old = null;
        Tensor? reference = null;
        using (no_grad())
        {
            // With μ = 1 the sampling policy is the current one; the loss detaches logp itself.
            if (_options.NumIterations > 1) old = Score(_policy, pairs);                                      // (B, T)
            if (_options.Beta != 0) reference = ReferenceScores(pairs);                                       // (B, T)
        }

        var loss = double.NaN;
        PolicyLossMetrics? metrics = null;
        for (var iteration = 0; iteration < _options.NumIterations; iteration++)
        {
            using var passScope = NewDisposeScope();
            _optimizer.zero_grad();
            var logProbs = Score(_policy, pairs);                                                             // (B, T)
            using var result = PolicyLoss.Compute(logProbs, old, reference, adv, mask, settings);
            result.Loss.backward();
            _optimizer.step();
            loss = result.Loss.ToDouble();
            metrics = result.Metrics;
        }
        return (loss, metrics!);
    }

    private Tensor ReferenceScores((IReadOnlyList<int>, IReadOnlyList<int>)[] pairs)
    {
        if (_adapter is not null)
        {
            using (_adapter.Disable()) return Score(_policy, pairs);
        }
        return Score(_reference!, pairs);
    }

    private Tensor Score(CausalLM model, (IReadOnlyList<int>, IReadOnlyList<int>)[] pairs)
    {
        var scores = CompletionScorer.Score(model, pairs, _options.Temperature, _tokenizer.PadId);
        scores.Mask.Dispose();
        return scores.LogProbs;
    }
}
