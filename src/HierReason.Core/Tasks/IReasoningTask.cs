using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Core.Tasks;

/// <summary>A procedural task with verifiable answers: generation, gold answers and traces, a verifier.</summary>
public interface IReasoningTask
{
    /// <summary>The registered name (snake_case), e.g. <c>leg_counting</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>The record type of this task's config.</summary>
    Type ConfigType { get; }

    /// <summary>The metadata record type of this task's items.</summary>
    Type MetadataType { get; }

    /// <summary>The config with every default.</summary>
    TaskConfig DefaultConfig { get; }

    /// <summary>Difficulty presets, easiest first; level 0 is the easiest.</summary>
    IReadOnlyList<TaskConfig> Levels { get; }

    /// <summary>Item <paramref name="index"/> of (split, seed): the same item whatever the dataset size.</summary>
    TaskItem Generate(TaskConfig config, Split split, long seed, long index, int? level = null);

    /// <summary>Scores an extracted answer in [0, 1]; a null answer scores 0; never throws.</summary>
    double Score(string? answer, TaskItem item);

    /// <summary>
    /// A config from the defaults overlaid with <paramref name="overrides"/>; unknown keys, wrong
    /// types and out-of-range values throw a <see cref="ConfigException"/> naming file and path.
    /// </summary>
    TaskConfig ParseConfig(JsonObject? overrides, string? file = null, string jsonPath = "$", TaskConfig? baseConfig = null);

    /// <summary>Reads this task's metadata record from JSON (used when items come back from files).</summary>
    TaskMetadata ReadMetadata(JsonElement metadata);
}
