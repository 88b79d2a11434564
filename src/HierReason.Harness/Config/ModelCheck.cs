namespace HierReason.Harness.Config;

/// <summary>
/// Checks the local models a run will load (folder, config.json, weights, adapter) before anything is written, throwing a
/// user error at the model's entry. The harness never loads a checkpoint itself, so the edge that can (the CLI, with the
/// engine) hands this in.
/// </summary>
public delegate void ModelCheck(ModelSet set, IEnumerable<ModelEntry> models);
