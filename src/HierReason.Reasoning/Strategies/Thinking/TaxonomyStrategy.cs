using HierReason.Backends;
using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>
/// taxonomy (seed 000): the trained chooser (<see cref="Actor.Policy"/>, whose every turn is one restricted choice) picks
/// thought types from a taxonomy level, and the <see cref="TaxonomyEnvironment"/>'s frozen reasoner writes the thoughts
/// and the answer (<see cref="AnswerSource.Environment"/>). The reasoner is a model (role <c>reasoner</c>) or, with
/// <c>reasoner: "scripted"</c>, the chain_sum <see cref="ScriptedReasoner"/>. There are no gold episodes (SFT has nothing
/// to learn a choice from); vanilla is the baseline row.
/// </summary>
public static class TaxonomyStrategy
{
    public const string Name = StrategyCatalog.TaxonomyName;

    /// <summary>The strategy with <paramref name="reasoner"/> (null only with the scripted reasoner).</summary>
    public static EpisodeStrategy Create(TaxonomyOptions options, IModelBackend? reasoner)
    {
        var taxonomy = options.Load();
        IReasoner writer;
        if (options.UsesReasonerModel) writer = new ModelReasoner(reasoner ?? throw new ArgumentNullException(nameof(reasoner), "reasoner \"model\" needs the reasoner role's model"), options);
        else
        {
            ScriptedReasoner.CheckLevel(taxonomy, options.Level);
            writer = new ScriptedReasoner();
        }
        return Build(new TaxonomyEnvironment(taxonomy, options, writer));
    }

    /// <summary>The strategy built for SFT (no gold episodes; its reasoner refuses to run).</summary>
    public static EpisodeStrategy ForGold(TaxonomyOptions options) => Build(new TaxonomyEnvironment(options.Load(), options, new NoReasoner()));

    private static EpisodeStrategy Build(TaxonomyEnvironment environment) => new EpisodeStrategy
        {
            Name = Name,
            Prompt = environment.Prompt,
            Environment = environment,
            Answers = AnswerSource.Environment,
            Gold = _ => null,
        };

    private sealed class NoReasoner : IReasoner
    {
        public Task<IReadOnlyList<ReasonerReply>> WriteAsync(IReadOnlyList<ThoughtRequest> requests, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the taxonomy strategy was built for gold episodes (SFT): it has no reasoner to roll out with");
    }
}
