using HierReason.Core.Results;

namespace HierReason.Harness.Aggregation;

/// <summary>Turns job results into the benchmark's summary: one row per task × model pooled over seeds, and per-model averages.</summary>
public static class ResultAggregator
{
    /// <param name="tasks">Task names in tasks.json order.</param>
    /// <param name="models">Model names in models.json order.</param>
    /// <param name="results">Every job's result (failed ones included).</param>
    public static BenchmarkSummary Summarize(IReadOnlyList<string> tasks, IReadOnlyList<string> models, IEnumerable<JobResult> results, RunMetadata run)
    {
        var all = results.ToList();
        var byCell = all.GroupBy(r => (r.Task, r.Model)).ToDictionary(g => g.Key, g => g.ToList());
        // A model's strategy is part of its models.json entry, so every job of a model ran the same one.
        var strategies = all.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.First().Strategy);
        var rows = new List<ScoreRow>();
        foreach (var task in tasks)
            foreach (var model in models)
                if (byCell.TryGetValue((task, model), out var cell))
                    rows.Add(Row(task, model, cell));

        var averages = new List<ModelAverage>();
        foreach (var model in models)
        {
            var cells = rows.Where(r => r.Model == model && r.N > 0).ToList();
            if (cells.Count == 0) continue;
            var (mean, se) = CellStatistics.Average(cells.Select(c => (c.Accuracy, c.StdErr)).ToList());
            var missing = tasks.Where(t => !cells.Any(c => c.Task == t)).ToList();
            averages.Add(new ModelAverage(model, mean, se, cells.Count, missing.Count > 0 ? missing : null, strategies[model]));
        }
        return new BenchmarkSummary(BenchmarkSummary.CurrentSchema, run, tasks, models, rows, averages);
    }

    /// <summary>The per-task files' content: one task's rows.</summary>
    public static TaskResults ForTask(BenchmarkSummary summary, string task) =>
        new(summary.SchemaVersion, summary.Run, task, summary.Rows.Where(r => r.Task == task).ToList());

    private static ScoreRow Row(string task, string model, IReadOnlyList<JobResult> jobs)
    {
        var ok = jobs.Where(j => j.IsSuccess).ToList();
        long n = ok.Sum(j => (long)j.N);
        // Seeds are pooled as disjoint sets of questions; within a job, repeated questions are clustered (QuestionSums).
        var sums = ok.Aggregate(default(QuestionSums), (acc, j) => acc.Add(j.Sums()));
        var (mean, se) = (sums.Mean, sums.StdErr);
        var formatRate = n == 0 ? 0 : ok.Sum(j => j.FormatRate * j.N) / n;
        var meanTokens = n == 0 ? 0 : ok.Sum(j => j.MeanTokens * j.N) / n;
        return new ScoreRow(task, model, mean, se, (int)n, formatRate, meanTokens, jobs.Count, jobs.Count - ok.Count, sums.Questions, jobs[0].Strategy);
    }
}
