using System.Diagnostics;
using System.Text.Json;
using HierReason.Core.IO;
using HierReason.Engine.Chat;
using HierReason.Engine.Checkpoints;
using HierReason.Engine.Lora;
using HierReason.Engine.Models;
using HierReason.Engine.Tokenizers;
using HierReason.Training.Checkpoints;
using HierReason.Training.Runs;

namespace HierReason.Training.Preference;

/// <summary>
/// <c>hierreason dpo train</c> end to end: loads the model folder (the SFT model, which is also the reference), reads and
/// tokenises the pairs, trains, and leaves in the output folder <c>metrics.jsonl</c> (one line per step),
/// <c>checkpoint-&lt;step&gt;</c> folders, the final model (HF layout; with LoRA also the PEFT adapter) and
/// <c>training_summary.json</c>.
/// </summary>
public sealed class DpoRun : IDisposable
{
    public const string MetricsFileName = "metrics.jsonl";
    public const string SummaryFileName = "training_summary.json";

    private readonly CausalLM _model;
    private readonly LoraAdapter? _adapter;
    private readonly DpoReference _reference;
    private readonly ITokenizer _tokenizer;
    private readonly string _source;
    private readonly string _output;

    private DpoRun(CausalLM model, LoraAdapter? adapter, DpoReference reference, ITokenizer tokenizer, DpoTrainer trainer, string source, string output)
    {
        _model = model;
        _adapter = adapter;
        _reference = reference;
        _tokenizer = tokenizer;
        Trainer = trainer;
        _source = source;
        _output = output;
    }

    public DpoTrainer Trainer { get; }

    /// <summary>"adapter-off" under LoRA, else "frozen-copy".</summary>
    public string ReferenceKind => _adapter is null ? "frozen-copy" : "adapter-off";

    /// <param name="loraRank">0: train every weight against a frozen copy; otherwise a LoRA adapter of this rank (α = 2r) against the adapter switched off.</param>
    public static DpoRun Create(string modelDirectory, string pairsFile, string output, DpoSettings settings, int loraRank = 0, DeviceSpec? device = null) =>
        Create(modelDirectory, [pairsFile], output, settings, loraRank, device);

    /// <summary>A run on the pairs of every file in <paramref name="pairsFiles"/> (e.g. one per task); empty files add nothing, all empty is an error.</summary>
    public static DpoRun Create(string modelDirectory, IReadOnlyList<string> pairsFiles, string output, DpoSettings settings, int loraRank = 0, DeviceSpec? device = null)
    {
        settings.Validate();
        if (loraRank < 0) throw new TrainingException($"--lora-rank: expected 0 (full fine-tune) or a positive rank; found {loraRank}");
        if (!Directory.Exists(modelDirectory)) throw new TrainingException($"--model: {modelDirectory}: no such model folder");
        var pairs = PreferencePairs.ReadAll(pairsFiles);
        var tokenizer = TokenizerLoader.Load(modelDirectory);
        var template = ChatTemplates.ForModel(modelDirectory, tokenizer);
        var model = CheckpointLoader.Load(modelDirectory, device);
        try
        {
            var examples = pairs.Select(p => DpoExample.For(p, tokenizer, template, settings.MaxSeqLen)).ToArray();
            var adapter = loraRank > 0 ? LoraAdapter.Attach(model, new LoraConfig { R = loraRank, Alpha = 2 * loraRank }, settings.Seed) : null;
            // The frozen copy is taken before any update: it is the starting model.
            var reference = adapter is null ? DpoReference.FrozenCopyOf(model) : DpoReference.AdapterOff(model, adapter);
            var trainer = new DpoTrainer(model, adapter, reference, tokenizer, examples, settings);
            return new DpoRun(model, adapter, reference, tokenizer, trainer, modelDirectory, output);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Measures the training pairs, trains every epoch, measures again, and writes the model, checkpoints, metrics and summary.</summary>
    public DpoRunSummary Run(Action<DpoStepMetrics>? onStep = null, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(_output);
        var store = new CheckpointStore(_output, Trainer.Settings.KeepCheckpoints);
        var before = Trainer.Measure();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<DpoEpochSummary> epochs;
        using (var metrics = new StreamWriter(Path.Combine(_output, MetricsFileName), append: false))
        {
            epochs = Trainer.Train(m =>
            {
                metrics.WriteLine(JsonSerializer.Serialize(m));
                metrics.Flush();
                onStep?.Invoke(m);
            }, store, cancel);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var after = Trainer.Measure(epoch: Trainer.Settings.Epochs);
        Trainer.SaveCheckpoint(store);
        RunOutput.SaveModel(_output, _model, _adapter, _tokenizer, _source);
        var summary = new DpoRunSummary(before.Metrics.Pairs, Trainer.Step, Trainer.Settings.Beta,
            Trainer.Settings.LearningRate, ReferenceKind, before, after, epochs, seconds, Trainer.Step / Math.Max(seconds, 1e-9));
        AtomicFile.WriteAllText(Path.Combine(_output, SummaryFileName), JsonSerializer.Serialize(summary, DpoRunSummary.Options));
        return summary;
    }

    public void Dispose()
    {
        Trainer.Dispose();
        _reference.Dispose();
        _model.Dispose();
    }
}
