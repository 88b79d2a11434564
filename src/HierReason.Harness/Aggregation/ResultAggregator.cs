using HierReason.Core.Results;

namespace HierReason.Harness.Aggregation;

/// <summary>Turns job results into the benchmark's summary: one row per task (at a level, when tasks.json set one) × model pooled over seeds, and per-model averages.</summary>
public static class ResultAggregator
{
    /// <param name="tasks">Task columns (<see cref="TaskCell"/> labels) in tasks.json order.</param>
    /// <param name="models">Model names in models.json order.</param>
    /// <param name="results">Every job's result (failed ones included).</param>
    public static BenchmarkSummary Summarize(IReadOnlyList<string> tasks, IReadOnlyList<string> models, IEnumerable<JobResult> results, RunMetadata run)
    {
        var all = results.ToList();
        var byCell = all.GroupBy(r => (r.Cell, r.Model)).ToDictionary(g => g.Key, g => g.ToList());
        // A model's strategy is part of its models.json entry, so every job of a model ran the same one.
        var strategies = all.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.First().Strategy);
        var rows = new List<ScoreRow>();
        foreach (var task in tasks)
            foreach (var model in models)
                if (byCell.TryGetValue((task, model), out var cell))
                    rows.Add(Row(model, cell));

        var averages = new List<ModelAverage>();
        foreach (var model in models)
        {
            var cells = rows.Where(r => r.Model == model && r.N > 0).ToList();
            if (cells.Count == 0) continue;
            var (mean, se) = CellStatistics.Average(cells.Select(c => (c.Accuracy, c.StdErr)).ToList());
            var missing = tasks.Where(t => !cells.Any(c => c.Cell == t)).ToList();
            averages.Add(new ModelAverage(model, mean, se, cells.Count, missing.Count > 0 ? missing : null, strategies[model]));
        }
        return new BenchmarkSummary(BenchmarkSummary.CurrentSchema, run, tasks, models, rows, averages);
    }

    /// <summary>The per-task files' content: one task's rows (every level of it).</summary>
    public static TaskResults ForTask(BenchmarkSummary summary, string task) =>
        new(summary.SchemaVersion, summary.Run, task, summary.Rows.Where(r => r.Task == task).ToList());

    /// <summary>The task names of <paramref name="summary"/>'s rows in column order, each once (a task's levels share a per-task file).</summary>
    public static IReadOnlyList<string> TaskNames(BenchmarkSummary summary) =>
        summary.Tasks.Select(TaskCell.TaskOf).Distinct().ToList();

    /// <summary>One cell's row: its jobs share the task and level (the cell's label).</summary>
    private static ScoreRow Row(string model, IReadOnlyList<JobResult> jobs)
    {
        var ok = jobs.Where(j => j.IsSuccess).ToList();
        long n = ok.Sum(j => (long)j.N);
        // Seeds are pooled as disjoint sets of questions; within a job, repeated questions are clustered (QuestionSums).
        var sums = ok.Aggregate(default(QuestionSums), (acc, j) => acc.Add(j.Sums()));
        var (mean, se) = (sums.Mean, sums.StdErr);
        var formatRate = n == 0 ? 0 : ok.Sum(j => j.FormatRate * j.N) / n;
        var meanTokens = n == 0 ? 0 : ok.Sum(j => j.MeanTokens * j.N) / n;
        var row = new ScoreRow(jobs[0].Task, model, mean, se, (int)n, formatRate, meanTokens, jobs.Count, jobs.Count - ok.Count, sums.Questions, jobs[0].Strategy,
            Stats: EpisodeStats.Pool(ok.Select(j => (j.N, j.Stats)).ToList()), Level: jobs[0].Level)
        {
            Split = jobs[0].Split,
            ConfigHash = Single(jobs.Select(j => j.ConfigHash)),
            CheckpointHash = Single(jobs.Select(j => j.CheckpointHash)),
            JobKeys = new ValueList<string>(jobs.Select(j => j.Key)),
        };
        if (n > 0)
        {
            var interval = ProportionInterval.Of(mean, se, n, sums.Questions);
            row = row with { CiLow = interval.Low, CiHigh = interval.High };
        }
        return WithAnswers(WithSampled(row, ok), ok);
    }

    /// <summary>The value every job agrees on; null when one lacks it (an older result) or they differ.</summary>
    private static string? Single(IEnumerable<string?> values) => values.Distinct().ToList() is [{ } one] ? one : null;

    /// <summary>
    /// pass@k, maj@k, the one-sample accuracy and the unbiased pass@j curve pooled over seeds as item-weighted means (each is a mean over items); only
    /// when every succeeded job sampled the same k &gt; 1 (one model's jobs always do).
    /// </summary>
    private static ScoreRow WithSampled(ScoreRow row, IReadOnlyList<JobResult> ok)
    {
        if (row.N == 0 || ok.Select(j => j.SamplesPerItem).Distinct().ToList() is not [{ } k and > 1]) return row;
        if (ok.Any(j => j.PassAtK is null || j.MajAtK is null || j.SampleAccuracy is null)) return row;
        double Pooled(Func<JobResult, double> figure) => ok.Sum(j => figure(j) * j.N) / row.N;
        // Every job sampled the same k, so their curves have the same j; a job from before the curve leaves the cell without one.
        var curve = ok.All(j => j.PassAt is not null)
            ? new ValueMap<int, double>(ok[0].PassAt!.Keys.Select(j => KeyValuePair.Create(j, Pooled(r => r.PassAt!.GetValueOrDefault(j)))))
            : null;
        return row with
        {
            SamplesPerItem = k,
            PassAtK = Pooled(j => j.PassAtK!.Value),
            MajAtK = Pooled(j => j.MajAtK!.Value),
            SampleAccuracy = Pooled(j => j.SampleAccuracy!.Value),
            PassAt = curve,
        };
    }

    /// <summary>
    /// The answer diagnostics over the union of the cell's items: the jobs' tallies added (<see cref="AnswerTally.Add"/>), so
    /// distinct answers count an answer two seeds share once, and the constant answer is the union's most common gold answer.
    /// Absent when a succeeded job has no tally (a result written before the diagnostics existed): part of the cell would be missing.
    /// </summary>
    private static ScoreRow WithAnswers(ScoreRow row, IReadOnlyList<JobResult> ok)
    {
        if (row.N == 0 || ok.Any(j => j.Answers is null)) return row;
        var tally = ok.Aggregate(AnswerTally.Empty, (acc, j) => acc.Add(j.Answers!));
        return row with
        {
            DistinctAnswers = tally.DistinctAnswers,
            GoldDistinctAnswers = tally.GoldDistinctAnswers,
            TopAnswerShare = tally.TopAnswerShare,
            ConstantAnswerAccuracy = tally.ConstantAnswerAccuracy,
        };
    }
}
