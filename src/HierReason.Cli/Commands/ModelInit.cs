using HierReason.Core;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason model init</c>'s work: a freshly initialised embedded model folder (config.json, model.safetensors,
/// tokenizer files), written beside the target and renamed into place so no half-written folder is ever visible.
/// </summary>
public static class ModelInit
{
    /// <summary>The config names <c>--config</c> accepts.</summary>
    public static IReadOnlyList<string> ConfigNames { get; } = ["tiny"];

    /// <summary>Fails with a user error listing <see cref="ConfigNames"/> unless <paramref name="configName"/> is one of them.</summary>
    public static void CheckConfigName(string configName)
    {
        if (!ConfigNames.Contains(configName, StringComparer.Ordinal))
            throw new HierReasonException($"--config: unknown model config '{configName}': expected one of {string.Join(", ", ConfigNames)}");
    }

    /// <summary>Writes the model and returns its parameter count; refuses a non-empty <paramref name="outDir"/> unless <paramref name="force"/>.</summary>
    public static long Write(string configName, string outDir, long seed, DeviceSpec device, bool force)
    {
        CheckConfigName(configName);
        var target = Path.GetFullPath(outDir).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target);
        if (string.IsNullOrEmpty(parent)) throw new HierReasonException($"--output: '{outDir}' has no parent folder to write beside");
        if (File.Exists(target)) throw new HierReasonException($"--output: '{outDir}' is a file, not a folder");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !force)
            throw new HierReasonException($"--output: '{outDir}' is not empty; pass --force to replace it");

        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(target);
        var staging = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        try
        {
            var parameters = Populate(staging, seed, device);
            Replace(target, staging, parent, name);
            return parameters;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static long Populate(string directory, long seed, DeviceSpec device)
    {
        Directory.CreateDirectory(directory);
        var tokenizer = new ByteTokenizer();
        using var model = TinyModelFactory.Create(seed, tokenizer.VocabSize, device, tokenizer.BosId, tokenizer.EosIds);
        CheckpointSaver.Save(model, directory);
        tokenizer.Save(directory);
        return model.parameters().Sum(p => p.numel());
    }

    // Directory.Move cannot overwrite: an existing folder is moved aside first and deleted only once the new one is in place.
    private static void Replace(string target, string staging, string parent, string name)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }
        var aside = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
        Directory.Move(target, aside);
        try
        {
            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Move(aside, target);
            throw;
        }
        Directory.Delete(aside, recursive: true);
    }
}
