using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HierReason.Training.Optim;

/// <summary>
/// AdamW (or SGD with momentum, <see cref="OptimizerKind"/>) over a fixed parameter list with a <see cref="LearningRateSchedule"/>,
/// gradient accumulation (the caller scales each micro-batch loss by 1/accum) and global-norm clipping before each update.
/// AdamW moves every weight by about the learning rate from its first step whatever the gradient's signal-to-noise;
/// SGD moves each weight in proportion to its (clipped) gradient, which is what a fine-tune from a sharp optimum with a
/// noisy policy gradient may want (issue 18, docs/PERFORMANCE.md).
/// </summary>
public sealed class TrainingOptimizer : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly OptimizerHelper _optimizer;

    public TrainingOptimizer(IEnumerable<Parameter> parameters, LearningRateSchedule schedule, double weightDecay, double maxGradNorm,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, OptimizerKind kind = OptimizerKind.AdamW, double momentum = 0.9)
    {
        _parameters = parameters.Where(p => p.requires_grad).ToList();
        if (_parameters.Count == 0) throw new TrainingException("nothing to train: every parameter is frozen");
        Schedule = schedule;
        MaxGradNorm = maxGradNorm;
        Kind = kind;
        _optimizer = kind == OptimizerKind.Sgd
            ? optim.SGD(_parameters, schedule.At(0), momentum, 0, weightDecay)
            : optim.AdamW(_parameters, schedule.At(0), beta1, beta2, eps, weightDecay);
    }

    public LearningRateSchedule Schedule { get; }

    public OptimizerKind Kind { get; }

    /// <summary>Clip threshold for the global gradient norm; 0 disables clipping (the norm is still measured).</summary>
    public double MaxGradNorm { get; }

    /// <summary>Optimiser steps taken so far; also the schedule position of the next update.</summary>
    public int StepCount { get; set; }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public void ZeroGrad() => _optimizer.zero_grad();

    /// <summary>Clips, sets this step's rate, updates and clears gradients; returns (grad norm before clipping, lr used).</summary>
    public (double GradNorm, double LearningRate) Step() =>
        TryStep() ?? throw new TrainingException($"step {StepCount}: the gradient norm is not finite; training diverged (lower the learning rate)");

    /// <summary>
    /// As <see cref="Step"/>, but a non-finite gradient norm clears the gradients and returns null without updating
    /// (GRPO skips such a step and counts it as bad).
    /// </summary>
    public (double GradNorm, double LearningRate)? TryStep()
    {
        double norm;
        using (no_grad())
        {
            // clip_grad_norm_ with an infinite threshold measures without scaling.
            norm = nn.utils.clip_grad_norm_(_parameters, MaxGradNorm > 0 ? MaxGradNorm : double.PositiveInfinity);
        }
        if (!double.IsFinite(norm))
        {
            _optimizer.zero_grad();
            return null;
        }
        var lr = Schedule.At(StepCount);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
        _optimizer.step();
        _optimizer.zero_grad();
        StepCount++;
        return (norm, lr);
    }

    /// <summary>Writes the optimiser's buffers (AdamW's moments, SGD's momentum) and step counts (TorchSharp's own binary format).</summary>
    public void Save(string path) => _optimizer.save_state_dict(path);

    /// <summary>Restores state written by <see cref="Save"/> for the same parameter list.</summary>
    public void Load(string path) => _optimizer.load_state_dict(path);

    public void Dispose() => _optimizer.Dispose();
}

/// <summary>Which update rule <see cref="TrainingOptimizer"/> uses: <c>"adamw"</c> (the default) or <c>"sgd"</c> (with momentum).</summary>
public enum OptimizerKind
{
    AdamW,
    Sgd,
}
