using System.Globalization;
using System.Text;
using System.Text.Json;
using HierReason.Core;
using HierReason.Engine;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason model logits</c>'s work: a checkpoint's next-token logits at every position of an id sequence, in float32,
/// with no tokenizer involved (a folder of config.json + weights is enough), printed as round-trippable JSON.
/// </summary>
public static class ModelLogits
{
    /// <summary>Parses "1,5,9" (whitespace allowed); anything but non-negative integers is a user error naming <c>--ids</c>.</summary>
    public static long[] ParseIds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.All(p => p.Length == 0)) throw new HierReasonException("--ids: expected comma-separated token ids, e.g. 1,5,9; found none");
        var ids = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
                throw new HierReasonException($"--ids: expected comma-separated non-negative integer token ids; found '{parts[i]}' at position {i}");
        }
        return ids;
    }

    /// <summary>
    /// Loads <paramref name="directory"/> on <paramref name="device"/> (float32 only: logits are reported as float32 and
    /// computed in it, so the numbers do not depend on a reduced-precision dtype) and returns one vocabulary row per id.
    /// </summary>
    public static float[][] Compute(string directory, IReadOnlyList<long> ids, DeviceSpec device)
    {
        if (device.DType != ScalarType.Float32) throw new ArgumentException("logits are computed in float32", nameof(device));
        if (!Directory.Exists(directory)) throw new EngineException($"{directory}: model folder not found");
        var config = ModelConfig.Load(Path.Combine(directory, "config.json"));
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] >= config.VocabSize)
                throw new HierReasonException($"--ids: token id {ids[i]} (position {i}) is outside the vocabulary of {config.VocabSize} (ids 0..{config.VocabSize - 1})");
        }
        if (ids.Count > config.MaxPositionEmbeddings)
            throw new HierReasonException($"--ids: {ids.Count} ids exceed the model's context of {config.MaxPositionEmbeddings} positions");

        using var model = CheckpointLoader.Load(directory, device);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(ids.ToArray(), dtype: ScalarType.Int64, device: device.Device).unsqueeze(0);   // (1, T)
        var logits = model.forward(input)[0].to(ScalarType.Float32, CPU).contiguous();                    // (T, V)
        var flat = logits.data<float>().ToArray();
        var vocab = (int)logits.shape[1];
        var rows = new float[ids.Count][];
        for (var t = 0; t < rows.Length; t++)
        {
            rows[t] = flat.AsSpan(t * vocab, vocab).ToArray();
            if (!rows[t].All(float.IsFinite))
                throw new EngineException($"{directory}: logits at position {t} are not finite (NaN or infinity in the weights?)");
        }
        return rows;
    }

    /// <summary><c>{"logits": [[…], …]}</c>, each float written in its shortest round-trippable form.</summary>
    public static string ToJson(IReadOnlyList<float[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("logits");
            foreach (var row in rows)
            {
                writer.WriteStartArray();
                foreach (var value in row) writer.WriteNumberValue(value);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One line per position: its id and the highest-scoring next ids.</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<long> ids, IReadOnlyList<float[]> rows, int top = 5)
    {
        static string F(float v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        for (var t = 0; t < rows.Count; t++)
        {
            var best = rows[t].Select((v, id) => (Id: id, Logit: v)).OrderByDescending(p => p.Logit).Take(top);
            yield return $"position {t} (id {ids[t]}): top next ids " + string.Join(", ", best.Select(p => $"{p.Id} ({F(p.Logit)})"));
        }
    }
}
