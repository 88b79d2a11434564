using HierReason.Engine.Generation;
using HierReason.Engine.Inference;
using HierReason.Engine.Tokenizers;

namespace HierReason.Backends.Serving;

/// <summary>
/// Decodes several requests that share a model and a sampler as one <see cref="TokenGenerator"/> batch: every prompt × n
/// is a row; each row keeps its own token budget, stop strings and stream, watched through the generator's per-token callback.
/// A batch of choice requests (they batch only with each other) is scored instead, by <see cref="ChoiceRun"/>; a batch of
/// prompt-scoring requests (echo with max_tokens 0, or with one greedy token: <see cref="GenerationRequest.OnePass"/>)
/// runs one scoring pass and no decoding. Requested log-probabilities are computed after decoding by
/// <see cref="TokenLogProbScorer"/> over prompt + completion, untempered.
/// </summary>
internal static class BatchRun
{
    public static void Run(ServedModel model, IReadOnlyList<GenerationRequest> requests)
    {
        var head = requests[0];
        if (head.Choice is not null)
        {
            ChoiceRun.Run(model, requests);
            return;
        }
        if (head.BatchKey.ScoreOnly)
        {
            ScorePrompts(model, requests);
            return;
        }
        var rows = new List<Row>();
        foreach (var request in requests)
            for (var p = 0; p < request.Prompts.Count; p++)
                for (var s = 0; s < request.N; s++)
                    rows.Add(new Row(request, p * request.N + s, request.Prompts[p], model.Local.Tokenizer));

        var options = new GenerationOptions
        {
            MaxNewTokens = rows.Max(r => r.Request.MaxTokens),
            Temperature = head.Temperature,
            TopP = head.TopP,
            TopK = head.TopK,
            NumSamples = 1,
            Seed = head.Seed,
            EosTokenIds = model.Local.StopIds,
            PadTokenId = model.Local.Tokenizer.PadId,
        };
        // The generator asks after every token that is not an end-of-sequence id.
        var sequences = new TokenGenerator(model.Local.Model)
            .Generate(rows.Select(r => (IReadOnlyList<int>)r.Prompt).ToArray(), options, (i, ids) => rows[i].Push(ids[^1]));

        var results = requests.ToDictionary(r => r.Id, r => new ChoiceResult[r.Rows]);
        foreach (var seq in sequences)
        {
            var row = rows[seq.PromptIndex];
            results[row.Request.Id][row.Index] = row.Finish(seq.TokenIds.ToArray());
        }
        // A stream's chunks carry no log-probabilities, so streamed requests skip the scoring pass. Requests without it
        // finish first: should the pass fail, the engine reruns only the unfinished ones.
        static bool Scored(GenerationRequest r) => r.LogProbs && !r.Stream;
        foreach (var request in requests)
        {
            request.Deltas?.Writer.TryComplete();
            if (!Scored(request)) request.Done.TrySetResult(results[request.Id]);
        }
        var scored = rows.Where(r => Scored(r.Request)).ToArray();
        if (scored.Length > 0)
        {
            var logProbs = TokenLogProbScorer.Score(model.Local, scored.Select(r =>
                new ScoreRow([.. r.Prompt, .. results[r.Request.Id][r.Index].TokenIds], r.Request.Echo ? 0 : r.Prompt.Length, r.Request.TopLogProbs)).ToArray());
            for (var i = 0; i < scored.Length; i++)
            {
                var choices = results[scored[i].Request.Id];
                choices[scored[i].Index] = choices[scored[i].Index] with { LogProbs = logProbs[i].LogProbs };
            }
        }
        foreach (var request in requests.Where(Scored)) request.Done.TrySetResult(results[request.Id]);
    }

    /// <summary>
    /// Echo without decoding, in one scoring pass: with max_tokens 0 each choice is its prompt; a <see cref="GenerationRequest.OnePass"/>
    /// request adds the greedy next token, read from the same pass and cut by stop strings and end tokens as a decoded one would be.
    /// </summary>
    private static void ScorePrompts(ServedModel model, IReadOnlyList<GenerationRequest> requests)
    {
        var wanted = requests.Where(r => r.LogProbs)
            .SelectMany(r => r.Prompts.Select(p => new ScoreRow(p, 0, r.TopLogProbs, PickNext: r.OnePass)))
            .ToArray();
        var scores = TokenLogProbScorer.Score(model.Local, wanted);
        var stopIds = model.Local.StopIds.ToHashSet();
        var at = 0;
        foreach (var request in requests)
        {
            var results = new ChoiceResult[request.Rows];
            for (var p = 0; p < request.Prompts.Count; p++)
            {
                var score = request.LogProbs ? scores[at++] : null;
                for (var s = 0; s < request.N; s++)
                {
                    var index = p * request.N + s;
                    if (score?.Next is { } next)
                    {
                        var row = new Row(request, index, request.Prompts[p], model.Local.Tokenizer);
                        // The generator never shows an end token to the stop watcher either.
                        if (!stopIds.Contains(next)) row.Push(next);
                        results[index] = row.Finish([next]) with { LogProbs = score.LogProbs };
                    }
                    else
                    {
                        results[index] = new ChoiceResult(index, request.EchoTexts![p], [], score?.LogProbs, TextCompletion.Length, request.Prompts[p].Length);
                    }
                }
            }
            request.Deltas?.Writer.TryComplete();
            request.Done.TrySetResult(results);
        }
    }

    /// <summary>One decoded choice: its stop strings, budget and stream, fed one token at a time.</summary>
    internal sealed class Row(GenerationRequest request, int index, int[] prompt, ITokenizer tokenizer)
    {
        private readonly IncrementalDecoder _decoder = new(tokenizer);
        private readonly StopStrings _stops = new(request.Stop);
        private int _count;
        private bool _lengthCut;

        public GenerationRequest Request { get; } = request;
        public int Index { get; } = index;
        public int[] Prompt { get; } = prompt;

        /// <summary>Takes one generated token; true ends the row (a stop string completed, or its own budget is spent).</summary>
        public bool Push(int id)
        {
            if (_stops.Stopped || _lengthCut) return true;
            _count++;
            var step = _stops.Push(_decoder.Push(id));
            Emit(step.Safe);
            if (step.Stopped) return true;
            if (_count >= Request.MaxTokens)
            {
                _lengthCut = true;
                return true;
            }
            return false;
        }

        /// <summary>The row's choice once decoding ended (log-probabilities are added afterwards, when asked).</summary>
        public ChoiceResult Finish(int[] ids)
        {
            if (!_stops.Stopped)
            {
                // What the decoder still holds can itself complete a stop string.
                var step = _stops.Push(_decoder.Flush());
                Emit(step.Safe);
                if (!_stops.Stopped) Emit(_stops.Flush());
            }
            // Neither a stop string nor the budget ended it: an end-of-sequence token did.
            var reason = _stops.Stopped || !_lengthCut ? TextCompletion.Stopped : TextCompletion.Length;
            Request.Send(new StreamDelta(Index, "", reason));
            var echo = Request.EchoTexts?[Index / Request.N] ?? "";
            return new ChoiceResult(Index, echo + _stops.Text, ids, null, reason, Prompt.Length);
        }

        private void Emit(string text)
        {
            if (text.Length > 0) Request.Send(new StreamDelta(Index, text, null));
        }
    }
}
