using HierReason.Core.Prompts;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Models;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Preference;
using HierReason.Training.Prm;
using Xunit;

namespace HierReason.Training.Tests.Preference;

public sealed class PairBuilderTests
{
    private static readonly IReasoningTask ChainSum = TaskRegistry.Default.Get("chain_sum");
    private static readonly IStepChecker Checker = StepCheckerRegistry.Default.Get("chain_sum");

    /// <summary>Real chain_sum items whose gold traces have at least three step lines before the answer.</summary>
    private static TaskItem[] Items(int count)
    {
        var items = Enumerable.Range(0, ChainSum.Levels.Count)
            .SelectMany(level => TaskDataset.Create(ChainSum, Split.Train, seed: 11, size: 40, level: level))
            .Where(i => StepLines.Split(i.Solution).Length >= 4).Take(count).ToArray();
        Assert.Equal(count, items.Length);
        return items;
    }

    /// <summary>The gold trace with line 2's result off by one (the checker's first error), the answer left as gold's.</summary>
    private static string Planted(TaskItem item)
    {
        var lines = StepLines.Split(item.Solution);
        var equals = lines[2].LastIndexOf("= ", StringComparison.Ordinal);
        lines[2] = lines[2][..(equals + 2)] + (long.Parse(lines[2][(equals + 2)..]) + 1);
        return string.Join("\n", lines);
    }

    private static string WrongAnswer(TaskItem item) => item.Solution.Replace($"<answer>{item.Answer}</answer>", "<answer>-1</answer>", StringComparison.Ordinal);

    /// <summary>Fresh solutions are the scripted list, in order; the builder asks only for fresh solutions.</summary>
    private sealed class FixedSampler(Func<TaskItem, IReadOnlyList<string>> solutions, IReadOnlyList<TaskItem> items) : ICompletionSampler
    {
        public IReadOnlyList<IReadOnlyList<string>> Complete(IReadOnlyList<SolutionState> states, int n, StepSampling sampling, long seed)
        {
            Assert.All(states, s => Assert.Equal("", s.Prefix));
            return states.Select(s =>
            {
                var list = solutions(items.Single(i => i.Question == s.Question));
                Assert.Equal(n, list.Count);
                return list;
            }).ToArray();
        }
    }

    [Fact]
    public void Outcome_pairs_put_the_verifier_s_correct_solutions_above_its_wrong_ones()
    {
        var items = Items(3);
        // Item 0: 3 correct (the planted step keeps gold's answer) + 1 wrong → 3 pairs; item 1: all correct → none; item 2: 1 + 3 → 3.
        IReadOnlyList<string> Solutions(TaskItem i) => Array.IndexOf(items, i) switch
        {
            0 => [i.Solution, i.Solution + "\n", WrongAnswer(i), Planted(i)],
            1 => [i.Solution, i.Solution, i.Solution, i.Solution],
            _ => [i.Solution, WrongAnswer(i), WrongAnswer(i) + " ", "no answer at all"],
        };
        var builder = new PairBuilder(new FixedSampler(Solutions, items), new PairBuildOptions { Solutions = 4, MaxPairsPerItem = 3 });

        var (pairs, stats) = builder.Build(items, ChainSum, PairKind.Outcome, Checker);

        Assert.Equal(6, pairs.Count);
        Assert.Equal(new PairBuildStats("outcome", 3, 12, 3 + 4 + 1, 6, 2, 6, 0, stats.Seconds), stats);
        Assert.All(pairs, p => Assert.Equal(1.0, ChainSum.Score(HierReason.Core.Answers.AnswerExtractor.Extract(p.Chosen), items.Single(i => i.Question == p.Prompt))));
        Assert.Equal(1.0, stats.PairPrecision);
    }

    [Fact]
    public void Step_pairs_reject_the_first_wrong_step_and_choose_the_gold_step_after_the_same_prefix()
    {
        var items = Items(2);
        var builder = new PairBuilder(new FixedSampler(i => [Planted(i), Planted(i), i.Solution, i.Solution], items), new PairBuildOptions { Solutions = 4 });

        var (pairs, stats) = builder.Build(items, ChainSum, PairKind.Step, Checker);

        Assert.Equal(2, pairs.Count);   // one per item: the two planted copies are one distinct (prefix, wrong step)
        foreach (var (pair, item) in pairs.Zip(items))
        {
            var gold = StepLines.Split(item.Solution);
            Assert.Equal(item.Question, pair.Prompt);
            Assert.Equal(gold[0] + "\n" + gold[1] + "\n", pair.InitialReasonSteps);
            Assert.Equal(gold[2], pair.Chosen);
            Assert.Equal(StepLines.Split(Planted(item))[2], pair.Rejected);
        }
        // The planted trace keeps gold's answer, so both full continuations reach it: no pair is "chosen right, rejected wrong".
        Assert.Equal(0, stats.PairsChosenCorrect);
        Assert.Equal(0, stats.PairsInverted);
    }

    [Fact]
    public void Step_pairs_of_a_task_without_a_step_checker_are_refused()
    {
        var task = TaskRegistry.Default.Get("basic_arithmetic");
        var item = TaskDataset.Create(task, Split.Train, seed: 1, size: 1).ToArray();
        var builder = new PairBuilder(new FixedSampler(i => [i.Solution, i.Solution], item), new PairBuildOptions { Solutions = 2 });
        var error = Assert.Throws<TrainingException>(() => builder.Build(item, task, PairKind.Step, null));
        Assert.Contains("task 'basic_arithmetic' has none", error.Message);
        Assert.Throws<TrainingException>(() => builder.Build(item, task, PairKind.Prm, null));
    }

    [Fact]
    public void Prm_pairs_rank_by_the_prm_best_against_worst_and_stop_at_the_margin_with_unanswered_solutions_last()
    {
        var items = Items(1);
        var tokenizer = new ByteTokenizer();
        var config = ModelConfig.Tiny(tokenizer.VocabSize, null, tokenizer.EosIds) with
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 16,
        };
        var root = Directory.CreateTempSubdirectory("pairs-prm").FullName;
        try
        {
            using (var lm = TinyModelFactory.Create(config, 4)) CheckpointSaver.Save(lm, root);
            tokenizer.Save(root);
            using var prm = PrmCheckpoint.FromCausalLM(root, seed: 4);
            AssertRanking(items, new PrmScorer(prm, tokenizer));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void AssertRanking(TaskItem[] items, PrmScorer scorer)
    {
        var item = items[0];
        string[] solutions = [item.Solution, Planted(item), WrongAnswer(item), "1 + 1 = 2\nno answer", item.Solution + "\nso that is it", "a + b"];
        var builder = new PairBuilder(new FixedSampler(_ => solutions, items),
            new PairBuildOptions { Solutions = solutions.Length, MaxPairsPerItem = 3, PrmMargin = 0 }, scorer);

        var (pairs, _) = builder.Build(items, ChainSum, PairKind.Prm, Checker);

        double Score(string text) => scorer.Score(TaskPrompt.For(item.Question), SolutionSteps.Of(text).Texts).Score;
        var answered = solutions.Where(s => HierReason.Core.Answers.AnswerExtractor.Extract(s) is not null).OrderByDescending(Score).ToArray();
        var unanswered = solutions.Where(s => HierReason.Core.Answers.AnswerExtractor.Extract(s) is null).OrderByDescending(Score).ToArray();
        var ranked = answered.Concat(unanswered).ToArray();
        Assert.All(ranked, r => Assert.True(double.IsFinite(Score(r))));
        Assert.Equal(3, pairs.Count);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(ranked[k], pairs[k].Chosen);
            Assert.Equal(ranked[^(k + 1)], pairs[k].Rejected);
        }

        // A margin above every answered gap keeps only the pairs whose rejected side has no answer.
        var strict = new PairBuilder(new FixedSampler(_ => solutions, items),
            new PairBuildOptions { Solutions = solutions.Length, MaxPairsPerItem = 3, PrmMargin = 1 }, scorer);
        Assert.Equal(2, strict.Build(items, ChainSum, PairKind.Prm, Checker).Pairs.Count);
    }
}
