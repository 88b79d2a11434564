using System.Text.Json.Nodes;
using HierReason.Core.IO;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Prm;

/// <summary>
/// <c>hierreason prm score</c> end to end: score every trajectory of a stepwise JSONL file with a PRM, write one line per
/// trajectory (its fields plus <c>step_scores</c> and <c>score</c>), and when the lines carry labels, measure step accuracy and AUC.
/// </summary>
public static class PrmScoring
{
    /// <summary>The scores, and the step metrics when every line was labelled (null otherwise).</summary>
    public sealed record Outcome(IReadOnlyList<PrmScore> Scores, PrmEvaluation? Labelled);

    public static Outcome Run(string prmDirectory, string dataPath, string? outputPath, TrajectoryReduction reduction, IReadOnlyList<int>? probLabels,
        int batchSize, int maxLength, string separator, Action<string> log)
    {
        var examples = StepwiseData.Read(dataPath, requireLabels: false);
        using var model = PrmCheckpoint.Load(prmDirectory);
        var scorer = new PrmScorer(model, TokenizerLoader.Load(prmDirectory), separator, maxLength, probLabels);
        var scores = new List<PrmScore>(examples.Count);
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            var chunk = examples.Skip(start).Take(batchSize).Select(e => e.Trajectory).ToList();
            scores.AddRange(scorer.ScoreMany(chunk, reduction, batchSize));
            log($"prm score: {scores.Count}/{examples.Count} trajectories");
        }
        if (outputPath is not null)
        {
            var lines = File.ReadLines(dataPath).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
            AtomicFile.Write(outputPath, writer =>
            {
                for (var i = 0; i < scores.Count; i++)
                {
                    var json = JsonNode.Parse(lines[i])!.AsObject();
                    json["step_scores"] = new JsonArray(scores[i].StepScores.Select(s => (JsonNode)s).ToArray());
                    json["score"] = double.IsNaN(scores[i].Score) ? null : scores[i].Score;
                    json["reduction"] = reduction.ToString().ToLowerInvariant();
                    writer.WriteLine(json.ToJsonString());
                }
            });
        }
        return new Outcome(scores, examples.All(e => e.Labels is not null) ? Measure(examples, scores, model.Config, probLabels) : null);
    }

    /// <summary>Step accuracy and AUC of already computed scores against the examples' labels (the loss is not kept: null).</summary>
    public static PrmEvaluation? Measure(IReadOnlyList<StepwiseExample> examples, IReadOnlyList<PrmScore> scores, PrmConfig config, IReadOnlyList<int>? probLabels)
    {
        var classes = probLabels ?? config.ProbLabels;
        var flat = new List<double>();
        var positive = new List<bool>();
        var trajectories = 0;
        for (var i = 0; i < examples.Count; i++)
        {
            if (scores[i].StepScores.Count > 0) trajectories++;
            for (var t = 0; t < scores[i].StepScores.Count; t++)
            {
                flat.Add(scores[i].StepScores[t]);
                positive.Add(PrmLoss.IsPositive(examples[i].Labels![t], config.NumLabels, classes));
            }
        }
        if (flat.Count == 0) return null;
        var auc = StepMetrics.RocAuc(flat, positive);
        return new PrmEvaluation(trajectories, flat.Count, null, StepMetrics.Accuracy(flat, positive), double.IsNaN(auc) ? null : auc,
            positive.Count(p => p) / (double)positive.Count);
    }
}
