namespace HierReason.Training.Experiments;

/// <summary>
/// A frozen model a GRPO experiment's strategy calls (<c>grpo.environment_models.&lt;role&gt;</c>, e.g. planner_worker's
/// worker): a folder another experiment wrote (<see cref="From"/>, relative to the experiment file) or a HF folder
/// (<c>path</c>, relative to the file), both resolved in <see cref="Path"/>. <see cref="JsonPath"/> locates it in the file.
/// </summary>
public sealed record EnvironmentModel(string Path, string? From, string JsonPath);
