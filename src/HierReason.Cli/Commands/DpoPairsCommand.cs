using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;
using HierReason.Engine.Inference;
using HierReason.Engine.Prm;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Preference;
using HierReason.Training.Prm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason dpo pairs</c>: preference pairs from a policy's own samples (<see cref="PairBuilder"/>): outcome pairs
/// (vanilla DPO), PRM-ranked pairs (pDPO) or step pairs (Step-DPO), with their statistics in <c>&lt;out&gt;.stats.json</c>.
/// </summary>
public static class DpoPairsCommand
{
    /// <summary>Next lines sampled per wrong step at the most (each is a generated row: more is a typo, not a setting).</summary>
    public const int MaxAlternatives = 256;

    public static Command Build(IServiceProvider services)
    {
        var defaults = new PairBuildOptions();
        var model = new Option<string>("--model") { Description = "The policy that samples the solutions (the SFT model DPO starts from).", Required = true };
        var dataset = new TaskItemOptions("Items to sample solutions for.");
        var kind = new Option<string>("--kind") { Description = "outcome (correct vs incorrect, vanilla DPO), prm (ranked by --prm, pDPO) or step (first wrong step vs a verified alternative, Step-DPO).", DefaultValueFactory = _ => "outcome" };
        var prm = new Option<string?>("--prm") { Description = "The PRM folder ('hierreason prm train --output') that ranks solutions for --kind prm." };
        var reduction = new Option<string>("--reduction") { Description = "A solution's PRM score from its step scores: product, min, last or sum.", DefaultValueFactory = _ => "product" };
        var margin = new Option<double>("--prm-margin") { Description = "pDPO keeps a pair when the chosen PRM score exceeds the rejected one's by at least this.", DefaultValueFactory = _ => defaults.PrmMargin };
        var solutions = new Option<int>("--solutions") { Description = "Solutions sampled per item.", DefaultValueFactory = _ => defaults.Solutions };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature of the solutions.", DefaultValueFactory = _ => defaults.Temperature };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling of the solutions.", DefaultValueFactory = _ => defaults.TopP };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens of a solution.", DefaultValueFactory = _ => defaults.MaxNewTokens };
        var perItem = new Option<int>("--max-pairs-per-item") { Description = "At most this many pairs per item.", DefaultValueFactory = _ => defaults.MaxPairsPerItem };
        var alternatives = new Option<int>("--alternatives") { Description = "Step pairs: next lines sampled per wrong step when the gold trace does not continue the prefix (0: gold only).", DefaultValueFactory = _ => 8 };
        var batchItems = new Option<int>("--batch-items") { Description = "Items per engine call.", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--output", "-o") { Description = "The pairs file to write (TRL's DPO JSONL; step pairs add initial_reason_steps, full_chosen, full_rejected).", Required = true }.WithOldSpellings("--out");
        var modelOptions = new ModelOptions();
        var command = new Command("pairs", "Preference pairs from a policy's samples: outcome (DPO), PRM-ranked (pDPO) or first-wrong-step (Step-DPO).")
        {
            model, kind, prm, reduction, margin, solutions, temperature, topP, maxNew, perItem, alternatives, batchItems, output,
        };
        dataset.AddTo(command);
        modelOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var pairKind = PairKinds.Parse(parse.GetValue(kind)!, "--kind");
            var options = new PairBuildOptions
            {
                Solutions = parse.GetValue(solutions),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                MaxNewTokens = parse.GetValue(maxNew),
                MaxPairsPerItem = parse.GetValue(perItem),
                PrmMargin = parse.GetValue(margin),
                Reduction = TrajectoryReductions.Parse(parse.GetValue(reduction)!),
                Seed = parse.GetValue(dataset.Seed),
            };
            options.Validate();
            var batch = parse.GetValue(batchItems);
            if (batch < 1) throw new HierReasonException($"--batch-items: expected a positive integer; found {batch}");
            var samples = parse.GetValue(alternatives);
            if (samples is < 0 or > MaxAlternatives) throw new HierReasonException($"--alternatives: expected an integer in [0, {MaxAlternatives}]; found {samples}");
            var prmDir = parse.GetValue(prm);
            if (pairKind == PairKind.Prm && prmDir is null) throw new HierReasonException("--prm: --kind prm ranks solutions with a process reward model; give its folder");
            if (prmDir is not null && !File.Exists(Path.Combine(prmDir, "config.json")))
                throw new HierReasonException($"--prm: {prmDir}: expected a PRM folder holding config.json (written by 'hierreason prm train')");
            var (task, items) = dataset.Resolve(parse, services.GetRequiredService<TaskRegistry>());
            var checker = StepCheckerRegistry.Default.TryGet(task.Name);
            if (pairKind == PairKind.Step && checker is null)
                throw new HierReasonException($"--kind step: task '{task.Name}' has no oracle step checker; expected one of {string.Join(", ", StepCheckerRegistry.Default.Tasks)}");
            var path = parse.GetValue(output)!;

            var device = modelOptions.Apply(parse);
            using var local = LocalModel.Load(parse.GetValue(model)!, device);
            using var prmModel = pairKind == PairKind.Prm ? PrmCheckpoint.Load(prmDir!) : null;
            var scorer = prmModel is null ? null : new PrmScorer(prmModel, TokenizerLoader.Load(prmDir!));
            var sampler = pairKind == PairKind.Step && samples > 0
                ? new StepAlternativeSampler(local.Model, local.Tokenizer, local.ChatTemplate, samples, seed: options.Seed)
                : null;
            var builder = new PairBuilder(new LocalCompletionSampler(local), options, scorer, sampler is null ? null : sampler.For);
            var pairs = new List<PreferencePair>();
            PairBuildStats? stats = null;
            for (var start = 0; start < items.Length; start += batch)
            {
                var (made, batchStats) = builder.Build(items.Skip(start).Take(batch).ToArray(), task, pairKind, checker);
                pairs.AddRange(made);
                stats = stats is null ? batchStats : stats.Add(batchStats);
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"dpo pairs: {stats.Items}/{items.Length} items, {stats.Solutions} solutions ({stats.SolutionAccuracy:P1} correct), {stats.Pairs} {PairKinds.Name(pairKind)} pairs, {stats.Seconds:0} s"));
            }
            // An empty file is an answer too (a policy that solves nothing has no outcome pairs): written, and said on stderr.
            if (pairs.Count == 0)
                console.Error.WriteLine($"dpo pairs: warning: no {PairKinds.Name(pairKind)} pairs from {items.Length} items ({stats!.CorrectSolutions} of {stats.Solutions} solutions correct); {path} is empty");
            PreferencePairs.Write(path, pairs);
            AtomicFile.WriteAllText(StatsPath(path), JsonSerializer.Serialize(stats, HierJson.Indented));
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dpo pairs: wrote {pairs.Count} pairs from {stats!.ItemsWithPairs} of {stats.Items} items to {path}; chosen right and rejected wrong (by the verifier) in {stats.PairPrecision:P1}, inverted in {stats.PairsInverted}"));
            return 0;
        });
        return command;
    }

    /// <summary>Where the statistics of a pairs file go.</summary>
    public static string StatsPath(string pairsPath) => pairsPath + ".stats.json";
}
