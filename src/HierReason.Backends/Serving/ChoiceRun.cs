using HierReason.Engine.Inference;

namespace HierReason.Backends.Serving;

/// <summary>
/// Answers a batch of choice requests (a json_schema <c>response_format</c> with one string enum) without decoding:
/// every candidate reply of every prompt of every request is scored in shared forward passes (<see cref="ChoiceDecoder.Score"/>),
/// then each request draws its n choices per prompt from its own random source. A streamed choice is sent as one chunk.
/// </summary>
internal static class ChoiceRun
{
    public static void Run(ServedModel model, IReadOnlyList<GenerationRequest> requests)
    {
        var local = model.Local;
        var candidates = requests.Select(r => ChoiceDecoder.Candidates(local, r.Choice!, r.Kind == RequestKind.Chat)).ToArray();
        var pairs = new List<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)>();
        for (var q = 0; q < requests.Count; q++)
            foreach (var prompt in requests[q].Prompts)
                pairs.AddRange(candidates[q].Select(c => ((IReadOnlyList<int>)prompt, (IReadOnlyList<int>)c)));
        var scores = ChoiceDecoder.Score(local, pairs);

        var at = 0;
        for (var q = 0; q < requests.Count; q++)
        {
            var request = requests[q];
            var choice = request.Choice!;
            var random = ChoiceDecoder.Sampler(request.Seed);
            var results = new ChoiceResult[request.Rows];
            for (var p = 0; p < request.Prompts.Count; p++)
            {
                var own = scores.AsSpan(at, candidates[q].Count).ToArray();
                at += candidates[q].Count;
                var totals = own.Select(s => s.Sum(x => (double)x)).ToArray();
                for (var s = 0; s < request.N; s++)
                {
                    var index = p * request.N + s;
                    var c = ChoiceDecoder.Pick(totals, request.Temperature, random);
                    var ids = candidates[q][c];
                    var text = choice.Reply(choice.Values[c]);
                    var logProbs = request.LogProbs ? TokenLogProbs.Plain(ids.Select(i => local.Tokenizer.Decode([i])).ToArray(), own[c]) : null;
                    results[index] = new ChoiceResult(index, text, ids, logProbs, TextCompletion.Stopped, request.Prompts[p].Length);
                    request.Send(new StreamDelta(index, text, null));
                    request.Send(new StreamDelta(index, "", TextCompletion.Stopped));
                }
            }
            request.Deltas?.Writer.TryComplete();
            request.Done.TrySetResult(results);
        }
    }
}
