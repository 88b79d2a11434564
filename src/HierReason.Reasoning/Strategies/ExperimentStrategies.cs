using System.Text.Json.Nodes;
using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Engine.Inference;
using HierReason.Engine.Models;
using HierReason.Training.Experiments;

namespace HierReason.Reasoning.Strategies;

/// <summary>
/// Builds a training experiment's strategy for <c>SftRun</c> and <c>GrpoRun</c> (their <c>strategies</c> argument:
/// Training never sees a backend). SFT learns gold episodes, so a strategy with frozen roles is built without models
/// (<see cref="StrategyContext.ForGold"/>); GRPO rolls out, so each of <c>grpo.environment_models</c> is loaded as a local
/// engine backend when the run builds its strategy (after the run has checked the folders exist) and kept until disposed.
/// </summary>
public sealed class ExperimentStrategies : IDisposable
{
    private readonly StrategyRegistry _registry;
    private readonly IReadOnlyDictionary<string, EnvironmentModel> _frozen;
    private readonly DeviceSpec? _device;
    private readonly Dictionary<string, IModelBackend> _loaded = new(StringComparer.Ordinal);

    private ExperimentStrategies(StrategyRegistry? registry, IReadOnlyDictionary<string, EnvironmentModel> frozen, DeviceSpec? device)
    {
        _registry = registry ?? StrategyRegistry.Default;
        _frozen = frozen;
        _device = device;
    }

    /// <summary>For an SFT run: strategies built for their gold episodes, no model loaded.</summary>
    public static ExperimentStrategies ForSft(StrategyRegistry? registry = null) => new(registry, new Dictionary<string, EnvironmentModel>(), null);

    /// <summary>For <paramref name="config"/>'s GRPO run: its frozen models on <paramref name="device"/> (default: the experiment's device and dtype).</summary>
    public static ExperimentStrategies ForGrpo(ExperimentConfig config, string? device = null, StrategyRegistry? registry = null) =>
        new(registry, config.Grpo?.FrozenModels ?? new Dictionary<string, EnvironmentModel>(), DeviceSpec.Parse(device ?? config.Model.Device, config.Model.DType));

    /// <summary>The frozen models loaded so far, by role.</summary>
    public IReadOnlyDictionary<string, IModelBackend> Models => _loaded;

    /// <summary>The strategy <paramref name="name"/> with checked <paramref name="options"/>: what the runs' <c>strategies</c> argument takes.</summary>
    public EpisodeStrategy Create(string name, JsonObject options)
    {
        if (_device is null) return _registry.Create(name, StrategyContext.ForGold(options));
        foreach (var (role, model) in _frozen)
            if (!_loaded.ContainsKey(role)) _loaded[role] = new LocalModelBackend(role, LocalModel.Load(model.Path, _device));
        return _registry.Create(name, new StrategyContext(options, _loaded));
    }

    public void Dispose()
    {
        foreach (var model in _loaded.Values) model.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _loaded.Clear();
    }
}
