using System.IO.Hashing;
using System.Text;
using HierReason.Core.Answers;
using HierReason.Core.Episodes;
using HierReason.Core.Taxonomies;
using HierReason.Core.Tasks;

namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>
/// Seed 000's loop as an environment. The chooser (the trained policy) picks each thought's type from one taxonomy level
/// or "Finish thinking": a one-token choice among the option codes on the local engine (<see cref="TurnSpec.ChoiceTokens"/>:
/// the same restricted softmax in sampling and training), a JSON-schema choice among the labels over HTTP
/// (<see cref="TurnSpec.Choice"/>). After every round of choices the reasoner writes, in one batched call, a thought of
/// each chosen type (guided by up to <see cref="TaxonomyOptions.IclExamples"/> of its examples), or the final answer
/// where Finish was chosen; after <see cref="TaxonomyOptions.MaxSteps"/> − 1 thoughts Finish is forced. Thoughts never
/// carry an answer tag; the final segment's answer is the episode's (<see cref="AnswerSource.Environment"/>). Every
/// reasoner segment keeps its thought type in <see cref="Segment.Metadata"/> (<see cref="TaxonomyNotes"/>).
/// </summary>
public sealed class TaxonomyEnvironment : IEnvironment
{
    public const string ChoiceField = "next_thought_type";

    private const string Codes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly IReasoner _reasoner;
    private readonly IReadOnlyList<ThoughtType> _types;

    public TaxonomyEnvironment(Taxonomy taxonomy, TaxonomyOptions options, IReasoner reasoner)
    {
        _types = taxonomy.Level(options.Level);
        if (_types.Count == 0) throw new ArgumentException($"taxonomy '{taxonomy.Name}' has no level {options.Level}", nameof(options));
        if (_types.Count + 1 > Codes.Length) throw new ArgumentException($"level {options.Level} has {_types.Count} labels; at most {Codes.Length - 1} are coded", nameof(options));
        Taxonomy = taxonomy;
        Options = options;
        _reasoner = reasoner;
    }

    public string Name => StrategyCatalog.TaxonomyName;

    public Taxonomy Taxonomy { get; }

    public TaxonomyOptions Options { get; }

    /// <summary>
    /// The options of an item's episodes, in the order its prompt lists them: the level's types (shuffled per item when
    /// <see cref="TaxonomyOptions.Shuffle"/>), then Finish (type null); codes A, B, … in that order.
    /// </summary>
    public IReadOnlyList<(string Code, ThoughtType? Type)> OptionsFor(TaskItem item)
    {
        var order = _types.ToArray();
        if (Options.Shuffle) new Random(ItemSeed(item, -1)).Shuffle(order);
        return order.Select(t => (ThoughtType?)t).Append(null).Select((t, i) => (Codes[i].ToString(), t)).ToArray();
    }

    /// <summary>The chooser's prompt for <paramref name="item"/>.</summary>
    public string Prompt(TaskItem item) =>
        TaxonomyPrompts.Chooser(item.Question, OptionsFor(item).Select(o => (o.Code, Label(o.Type), Options.Descriptions ? o.Type?.Description ?? Taxonomy.FinishDescription : null)).ToArray());

    public TurnSpec NextTurn(Episode episode)
    {
        var options = OptionsFor(Item(episode));
        return new TurnSpec([], MaxTokens: null)
        {
            Choice = new ChoiceSpec(ChoiceField, options.Select(o => Label(o.Type)).ToArray()),
            ChoiceTokens = options.Select(o => o.Code).ToArray(),
        };
    }

    public async Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken)
    {
        var steps = new EnvironmentStep?[episodes.Count];
        var turns = new Turn[episodes.Count];
        var thoughts = new List<int>();
        for (var i = 0; i < episodes.Count; i++)
        {
            var episode = episodes[i];
            if (!episode.IsPolicy(episode.Segments[^1])) continue;
            var item = Item(episode);
            var history = History(episode);
            var (type, echo, failed) = Parse(episode.Segments[^1].Text, OptionsFor(item));
            turns[i] = new Turn(item, history, type, echo, failed);
            if (type is not null) thoughts.Add(i);
        }

        // Round 1: the thought of every episode that chose a type, in one call.
        var written = await _reasoner.WriteAsync(thoughts.Select(i => Request(turns[i], turns[i].Type)).ToArray(), cancellationToken).ConfigureAwait(false);
        Check(written, thoughts.Count);
        for (var k = 0; k < thoughts.Count; k++) turns[thoughts[k]].Thought = written[k];

        // Round 2: the answer of every episode that chose Finish or has used its steps, in one call.
        var finals = Enumerable.Range(0, episodes.Count).Where(i => turns[i] is { } t && (t.Type is null || t.History.Count + 1 >= Options.MaxSteps - 1)).ToArray();
        var answers = await _reasoner.WriteAsync(finals.Select(i => Request(turns[i], null)).ToArray(), cancellationToken).ConfigureAwait(false);
        Check(answers, finals.Length);
        for (var k = 0; k < finals.Length; k++) turns[finals[k]].Answer = answers[k];

        for (var i = 0; i < episodes.Count; i++)
            if (turns[i] is { } t) steps[i] = Step(t);
        return steps;
    }

    private EnvironmentStep Step(Turn t)
    {
        var stats = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [TaxonomyNotes.ChoiceParseFailed] = t.ParseFailed ? 1 : 0,
            [TaxonomyNotes.ReasonerTokens] = (t.Thought?.Tokens ?? 0) + (t.Answer?.Tokens ?? 0),
        };
        var text = new StringBuilder();
        if (t.Type is { } type)
        {
            var thought = Inert(t.Thought!.Text);
            stats[TaxonomyNotes.Thoughts] = 1;
            stats[TaxonomyNotes.ThoughtChars] = thought.Length;
            text.Append(TaxonomyPrompts.ThoughtSegment(t.Echo ? type.Label : null, thought));
            if (t.Answer is null)
                return EnvironmentStep.Continue(new Segment(Actor.Environment, text.ToString()) { Metadata = Metadata(type.Id, type.Label) }, stats);
            // The last step: Finish is forced (the chooser's next choice could only be Finish).
            stats[TaxonomyNotes.ForcedFinish] = 1;
            text.Append(TaxonomyPrompts.FinalSegment(Taxonomy.FinishLabel, t.Answer.Text));
            return EnvironmentStep.Last(new Segment(Actor.Environment, text.ToString()) { Metadata = Metadata(type.Id, type.Label, forced: true) }, stats);
        }
        stats[TaxonomyNotes.ForcedFinish] = 0;
        text.Append(TaxonomyPrompts.FinalSegment(t.Echo ? Taxonomy.FinishLabel : null, t.Answer!.Text));
        return EnvironmentStep.Last(new Segment(Actor.Environment, text.ToString()) { Metadata = Metadata(TaxonomyNotes.FinishId, Taxonomy.FinishLabel) }, stats);
    }

    /// <summary>A thought request (before the round's thought is written), or the answer's, whose history has that thought when there is one.</summary>
    private ThoughtRequest Request(Turn t, ThoughtType? type) =>
        new(t.Item, t.Thought is null || t.Type is not { } written ? t.History : [.. t.History, new Thought(written.Id, written.Label, Inert(t.Thought.Text))],
            type, type is null ? [] : Examples(type, t.Item, t.History.Count));

    /// <summary>Up to <see cref="TaxonomyOptions.IclExamples"/> of the type's examples, drawn per item and step (seed 000 draws them at random each step).</summary>
    private IReadOnlyList<string> Examples(ThoughtType type, TaskItem item, int step)
    {
        if (Options.IclExamples == 0 || type.Examples.Count == 0) return [];
        var pool = type.Examples.ToArray();
        new Random(ItemSeed(item, step)).Shuffle(pool);
        return pool.Take(Options.IclExamples).ToArray();
    }

    /// <summary>
    /// The thoughts of an episode so far, read back from its reasoner segments (their metadata names the type; the text is
    /// <see cref="TaxonomyPrompts.ThoughtSegment"/>'s, so the thought is what lies between the label line and the cue).
    /// </summary>
    public static IReadOnlyList<Thought> History(Episode episode)
    {
        var history = new List<Thought>();
        foreach (var segment in episode.EnvironmentSegments)
        {
            if (segment.Metadata?.GetValueOrDefault(TaxonomyNotes.TypeKey) is not { } id || id == TaxonomyNotes.FinishId) continue;
            var text = segment.Text;
            var start = text.IndexOf('\n') + 1;
            var end = text.EndsWith(TaxonomyPrompts.NextCue, StringComparison.Ordinal) ? text.Length - TaxonomyPrompts.NextCue.Length : text.Length;
            history.Add(new Thought(id, segment.Metadata[TaxonomyNotes.LabelKey], text[start..Math.Max(start, end)]));
        }
        return history;
    }

    /// <summary>
    /// The option a choice names: its code (a token chooser) or its label, any case (a text chooser); anything else is the
    /// first option, as seed 000 falls back. <c>Echo</c>: the chooser wrote a code, so the label is written after it.
    /// </summary>
    private static (ThoughtType? Type, bool Echo, bool Failed) Parse(string choice, IReadOnlyList<(string Code, ThoughtType? Type)> options)
    {
        var text = choice.Trim();
        foreach (var (code, type) in options)
            if (text == code) return (type, true, false);
        foreach (var (_, type) in options)
            if (string.Equals(text, Label(type), StringComparison.OrdinalIgnoreCase)) return (type, false, false);
        return (options[0].Type, true, true);
    }

    private static string Label(ThoughtType? type) => type?.Label ?? Taxonomy.FinishLabel;

    private static Dictionary<string, string> Metadata(string id, string label, bool forced = false)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [TaxonomyNotes.TypeKey] = id, [TaxonomyNotes.LabelKey] = label };
        if (forced) metadata[TaxonomyNotes.ForcedFinish] = "1";
        return metadata;
    }

    private static TaskItem Item(Episode episode) => episode.Item ?? throw new InvalidOperationException("a taxonomy episode needs its task item (the reasoner reads its question)");

    private int ItemSeed(TaskItem item, int step) =>
        (int)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{item.Id}#{step}"), Options.Seed);

    /// <summary>A thought with any answer tag taken out, so a thought cannot become the episode's answer.</summary>
    private static string Inert(string text) =>
        text.Replace(AnswerExtractor.Open, "", StringComparison.Ordinal).Replace(AnswerExtractor.Close, "", StringComparison.Ordinal).Trim();

    private static void Check(IReadOnlyList<ReasonerReply> replies, int expected)
    {
        if (replies.Count != expected) throw new InvalidOperationException($"the reasoner answered {replies.Count} of {expected} requests");
    }

    private sealed class Turn(TaskItem item, IReadOnlyList<Thought> history, ThoughtType? type, bool echo, bool parseFailed)
    {
        public TaskItem Item { get; } = item;
        public IReadOnlyList<Thought> History { get; } = history;
        public ThoughtType? Type { get; } = type;
        public bool Echo { get; } = echo;
        public bool ParseFailed { get; } = parseFailed;
        public ReasonerReply? Thought { get; set; }
        public ReasonerReply? Answer { get; set; }
    }
}
