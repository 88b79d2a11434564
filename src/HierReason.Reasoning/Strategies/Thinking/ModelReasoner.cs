using HierReason.Backends;
using HierReason.Core.Episodes;

namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>
/// A frozen model (any <see cref="IModelBackend"/>: the local engine, <c>hierreason serve</c>, an OpenAI-compatible
/// endpoint) as the reasoner: every thought of the round in one batched chat request, every final answer in another.
/// </summary>
public sealed class ModelReasoner(IModelBackend model, TaxonomyOptions options) : IReasoner
{
    public async Task<IReadOnlyList<ReasonerReply>> WriteAsync(IReadOnlyList<ThoughtRequest> requests, CancellationToken cancellationToken)
    {
        var replies = new ReasonerReply[requests.Count];
        foreach (var final in new[] { false, true })
        {
            var batch = Enumerable.Range(0, requests.Count).Where(i => requests[i].IsFinal == final).ToArray();
            if (batch.Length == 0) continue;
            var settings = new SamplingSettings { N = 1, Temperature = options.Temperature, MaxTokens = final ? options.AnswerMaxTokens : options.ThoughtMaxTokens, Seed = options.Seed };
            var conversations = batch.Select(i => (IReadOnlyList<Message>)[new Message("user", Prompt(requests[i]))]).ToArray();
            var answers = await model.ChatAsync(conversations, settings, cancellationToken).ConfigureAwait(false);
            if (answers.Count != batch.Length || answers.Any(a => a.Count == 0))
                throw new InvalidOperationException($"reasoner '{model.Name}' answered {answers.Count} of {batch.Length} conversations");
            for (var k = 0; k < batch.Length; k++) replies[batch[k]] = new ReasonerReply(answers[k][0].Text, answers[k][0].CompletionTokens);
        }
        return replies;
    }

    private static string Prompt(ThoughtRequest r) => r.Type is { } type
        ? TaxonomyPrompts.Thought(r.Item.Question, r.History, type, r.Examples)
        : TaxonomyPrompts.Final(r.Item.Question, r.History);
}
