using System.Text.Json;
using System.Text.Json.Nodes;
using HierReason.Core.Json;

namespace HierReason.Core.Tasks;

/// <summary>
/// The base of every task: a config record <typeparamref name="TConfig"/> (defaults + validation),
/// a metadata record <typeparamref name="TMeta"/>, <see cref="Generate(TConfig, ItemContext)"/> and
/// <see cref="ScoreAnswer"/>. Adding a task is one file deriving from this, plus one registry line.
/// </summary>
public abstract class ReasoningTask<TConfig, TMeta> : IReasoningTask
    where TConfig : TaskConfig, new()
    where TMeta : TaskMetadata
{
    private IReadOnlyList<TaskConfig>? _levels;

    public abstract string Name { get; }
    public abstract string Description { get; }
    public Type ConfigType => typeof(TConfig);
    public Type MetadataType => typeof(TMeta);
    public TaskConfig DefaultConfig { get; } = new TConfig();

    public IReadOnlyList<TaskConfig> Levels => _levels ??= DifficultyLevels().ToArray();

    /// <summary>Difficulty presets, easiest first. The default is a single level: the default config.</summary>
    protected virtual IEnumerable<TConfig> DifficultyLevels() => [new TConfig()];

    /// <summary>
    /// Generates one item from <c>context.Rng</c>. Draw candidate questions until
    /// <c>context.Accepts(question)</c>, then build answer, trace and metadata with <c>context.Item</c>.
    /// </summary>
    protected abstract TaskItem Generate(TConfig config, ItemContext context);

    /// <summary>Scores a non-null extracted answer against the item. May assume well-typed metadata.</summary>
    protected abstract double ScoreAnswer(string answer, TaskItem item, TMeta metadata);

    public TaskItem Generate(TaskConfig config, Split split, long seed, long index, int? level = null)
    {
        if (config is not TConfig typed)
            throw new ArgumentException($"{Name} expects a {typeof(TConfig).Name}, got {config.GetType().Name}", nameof(config));
        return Generate(typed, new ItemContext(Name, split, seed, index, level));
    }

    public double Score(string? answer, TaskItem item)
    {
        if (answer is null || item.Metadata is not TMeta meta) return 0.0;
        try
        {
            var s = ScoreAnswer(answer, item, meta);
            return double.IsFinite(s) ? Math.Clamp(s, 0.0, 1.0) : 0.0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A verifier never throws, whatever the text: an answer it cannot read is wrong.
            return 0.0;
        }
    }

    public TaskConfig ParseConfig(JsonObject? overrides, string? file = null, string jsonPath = "$", TaskConfig? baseConfig = null)
        => TaskConfigReader.Read<TConfig>(Name, (TConfig?)baseConfig ?? new TConfig(), overrides, file, jsonPath);

    public TaskMetadata ReadMetadata(JsonElement metadata)
        => metadata.Deserialize<TMeta>(HierJson.Options)
           ?? throw new HierReasonException($"{Name}: item metadata is null");
}
