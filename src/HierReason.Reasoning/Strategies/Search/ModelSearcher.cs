using System.Text;
using HierReason.Backends;
using HierReason.Core.Episodes;
using HierReason.Retrieval;

namespace HierReason.Reasoning.Strategies.Search;

/// <summary>
/// The frozen searcher sub-agent of seed 004 (option <c>searcher: "model"</c>). Each query starts its own conversation
/// (<see cref="SystemPrompt"/>, then <c>Query: q</c>); per round the searcher may answer (<c>&lt;answer&gt;</c>: done),
/// search (<c>&lt;search&gt;q&lt;/search&gt;</c>: the top-k passages come back as a user message) or do neither (its
/// loop ends). After <see cref="SearchOptions.SearcherMaxTurns"/> rounds, every query still unanswered gets
/// <see cref="ForcedAnswerPrompt"/> and one greedy reply; failing an answer, the summary is <see cref="Unable"/>. Each
/// round is <b>one</b> batched chat call over the open queries of every episode. Greedy decoding throughout.
/// </summary>
public sealed class ModelSearcher : ISearcher
{
    public const string SystemPrompt =
        "You are a search assistant. Find the answer to the user's query in a document collection. Reason inside <think> and </think>. " +
        "To search, write <search>query</search>; the best documents come back between <information> and </information>. " +
        "When you know the answer, give it briefly inside <answer> and </answer>.";

    public const string ForcedAnswerPrompt = "You have used all your searches. Now give your best answer to the query inside <answer> and </answer>.";

    /// <summary>The summary when the searcher gives no answer (Search-R1's fallback).</summary>
    public const string Unable = "Unable to find sufficient information to answer the query.";

    private readonly IModelBackend _model;
    private readonly WorldRetrievers _retrievers;
    private readonly SearchOptions _options;
    private readonly SamplingSettings _sampling;

    public ModelSearcher(IModelBackend model, WorldRetrievers retrievers, SearchOptions options)
    {
        _model = model;
        _retrievers = retrievers;
        _options = options;
        // FitContext: a conversation that has grown to the model's context (passages pile up each round) gets a reply cut
        // to the room left, or an empty one; that ends its search loop and, failing the forced answer, gives Unable, where
        // the engine would otherwise refuse the whole batch of episodes.
        _sampling = new SamplingSettings
        {
            N = 1, Temperature = 0, MaxTokens = options.SearcherMaxTokens, Stop = [SearchAction.SearchClose, Core.Answers.AnswerExtractor.Close], FitContext = true,
        };
    }

    public async Task<IReadOnlyList<SearchReply>> AnswerAsync(IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken)
    {
        var runs = requests.Select(r => new Run(r)).ToArray();
        for (var round = 0; round < _options.SearcherMaxTurns; round++)
        {
            var open = runs.Where(r => !r.Stopped).ToArray();
            if (open.Length == 0) break;
            var replies = await ChatAsync(open, cancellationToken).ConfigureAwait(false);
            var searching = new List<(Run Run, string Query)>();
            for (var k = 0; k < open.Length; k++)
            {
                var run = open[k];
                var action = run.Take(replies[k]);
                if (action.Kind == SearchActionKind.Answer) run.Answer = action.Content;
                if (action.Kind == SearchActionKind.Search) searching.Add((run, action.Content));
                else run.Stopped = true;
            }
            var hits = await _retrievers.RetrieveAsync(searching.Select(s => (s.Run.Request.Item, s.Query)).ToArray(), _options.TopK, cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < searching.Count; k++)
            {
                searching[k].Run.DocIds.AddRange(hits[k].Select(h => h.Document.Id));
                searching[k].Run.Say(SearchAction.Information(SearchR1Format.Passages(hits[k])).Trim());
            }
        }

        var forced = runs.Where(r => r.Answer is null).ToArray();
        foreach (var run in forced) run.Say(ForcedAnswerPrompt);
        var last = await ChatAsync(forced, cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < forced.Length; k++)
            if (forced[k].Take(last[k]) is { Kind: SearchActionKind.Answer } answer) forced[k].Answer = answer.Content;

        return runs.Select(r => new SearchReply(r.Answer ?? Unable, r.DocIds.Distinct(StringComparer.Ordinal).ToArray(), r.Tokens, r.Turns, r.Trajectory.ToString())).ToArray();
    }

    private async Task<IReadOnlyList<Completion>> ChatAsync(IReadOnlyList<Run> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0) return [];
        var replies = await _model.ChatAsync(runs.Select(r => (IReadOnlyList<Message>)r.Messages.ToArray()).ToArray(), _sampling, cancellationToken).ConfigureAwait(false);
        if (replies.Count != runs.Count || replies.Any(r => r.Count == 0))
            throw new InvalidOperationException($"searcher '{_model.Name}' answered {replies.Count} of {runs.Count} conversations");
        return replies.Select(r => r[0]).ToArray();
    }

    /// <summary>One query's conversation with the searcher and what it cost.</summary>
    private sealed class Run
    {
        public Run(SearchRequest request)
        {
            Request = request;
            Messages = [new Message("system", SystemPrompt), new Message("user", "Query: " + request.Query)];
            Trajectory.Append("Query: ").Append(request.Query).Append('\n');
        }

        public SearchRequest Request { get; }
        public List<Message> Messages { get; }
        public List<string> DocIds { get; } = [];
        public StringBuilder Trajectory { get; } = new();
        public string? Answer { get; set; }
        public bool Stopped { get; set; }
        public int Tokens { get; private set; }
        public int Turns { get; private set; }

        /// <summary>Records the searcher's reply and reads its action (a stop string may have cut its closing tag).</summary>
        public SearchAction Take(Completion reply)
        {
            Tokens += reply.CompletionTokens;
            Turns++;
            Messages.Add(new Message("assistant", reply.Text));
            Trajectory.Append(reply.Text).Append('\n');
            return SearchAction.Parse(reply.Text, allowUnclosed: true);
        }

        public void Say(string text)
        {
            Messages.Add(new Message("user", text));
            Trajectory.Append(text).Append('\n');
        }
    }
}
