using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Engine;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Harness.Config;

namespace HierReason.Cli.Commands;

/// <summary>
/// Checks the local models of models.json that a command will use before it writes anything (a run folder, a manifest,
/// a checkpoint): each folder exists, its config.json parses within the engine's limits, its weights match that config,
/// and an adapter folder holds an adapter. A mistake is a <see cref="ConfigException"/> at the model's entry, not a job
/// that fails after the run folder exists. (The harness cannot read config.json itself: it never references the engine, so
/// <see cref="Validate"/> is the <see cref="ModelCheck"/> the CLI hands to it.)
/// </summary>
public static class ModelEntryCheck
{
    public static void Validate(ModelSet set, IEnumerable<ModelEntry> models)
    {
        foreach (var entry in models.Where(m => m.Backend == "local" && !m.IsComposite))
        {
            var at = $"$.models[{IndexOf(set, entry)}]";
            var field = entry.Train is null ? $"{at}.path" : $"{at}.train";
            var folder = entry.Path!;
            var kind = FileEntries.KindOf(folder);
            if (kind != FileEntryKind.Directory)
                throw new ConfigException(set.File, field,
                    entry.Train is null ? "an existing model folder" : $"a trained model folder (run `hierreason train {entry.Train}`, or the TrainDefault target, first)",
                    $"'{folder}' ({(kind == FileEntryKind.Missing ? "no such folder" : "not a folder")})");
            try
            {
                var config = ModelConfig.Load(Path.Combine(folder, "config.json"));
                var mismatches = CheckpointLoader.Mismatches(config, CheckpointFiles.Locate(folder));
                if (mismatches.Count > 0)
                    throw new EngineException(mismatches[0] + (mismatches.Count > 1 ? $" (+{mismatches.Count - 1} more; `hierreason model info {folder}` lists them)" : ""));
            }
            catch (EngineException e)
            {
                throw new ConfigException(set.File, field, "a model folder the engine can load", e.Message);
            }
            if (entry.Adapter is not { } adapter) continue;
            try
            {
                LoraConfig.Load(Path.Combine(adapter, LoraAdapter.ConfigFileName));
            }
            catch (EngineException e)
            {
                throw new ConfigException(set.File, $"{at}.adapter", "a PEFT adapter folder", e.Message);
            }
        }
    }

    private static int IndexOf(ModelSet set, ModelEntry entry)
    {
        for (var i = 0; i < set.Models.Count; i++)
            if (set.Models[i].Name == entry.Name) return i;
        return -1;
    }
}
