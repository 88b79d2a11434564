using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Engine.Generation;
using HierReason.Engine.Inference;
using static TorchSharp.torch;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// Requests shaped exactly as lm-evaluation-harness's <c>local-completions</c> model sends them (token-id prompts,
/// <c>echo</c>, <c>logprobs</c>, <c>max_tokens</c> 1, a seed), read back the way its <c>parse_logprobs</c> and
/// <c>parse_generations</c> read them, against a real server, and checked against the engine's own scorer and generator.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LmEvalReplayTests(ServerFixture fixture)
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Loglikelihood_requests_give_the_engine_scorers_log_likelihood_and_greediness()
    {
        using var local = LocalModel.Load(fixture.ModelDir);
        var context = local.Tokenizer.Encode("Question: what is 2+2?\nAnswer:", addSpecial: false);
        var greedy = Greedy(local, context, 3);
        // The model's own greedy continuation (is_greedy must hold), one whose first token is not greedy (it must not),
        // and an ordinary answer (whatever the engine says).
        int[][] continuations = [greedy, [(greedy[0] + 1) % 256, .. greedy[1..]], local.Tokenizer.Encode(" 4", addSpecial: false)];
        var prompts = continuations.Select(c => (int[])[.. context, .. c]).ToArray();

        // LocalCompletionsAPI._create_payload(generate=False) with tokenized_requests=True: one request for a batch.
        var payload = new JsonObject
        {
            ["model"] = ServerFixture.BaseName,
            ["prompt"] = new JsonArray(prompts.Select(p => (JsonNode)Ids(p)).ToArray()),
            ["temperature"] = 0,
            ["max_tokens"] = 1,
            ["logprobs"] = 1,
            ["seed"] = 1234,
            ["echo"] = true,
        };
        var (status, body) = await Post("/completions", payload);
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = SortedChoices(body!);
        Assert.Equal(prompts.Length, choices.Length);

        var engine = EngineScores(local, continuations.Select(c => ((IReadOnlyList<int>)context, (IReadOnlyList<int>)c)).ToArray());
        for (var i = 0; i < prompts.Length; i++)
        {
            var logprobs = choices[i]["logprobs"]!;
            // Echo: every prompt token and the one generated token; nothing predicts the first, so it has no log-probability.
            Assert.Equal(prompts[i].Length + 1, logprobs["tokens"]!.AsArray().Count);
            Assert.Null(logprobs["token_logprobs"]![0]);
            Assert.Null(logprobs["top_logprobs"]![0]);
            Assert.StartsWith(local.Tokenizer.Decode(prompts[i]), choices[i]["text"]!.GetValue<string>(), StringComparison.Ordinal);

            var (logLikelihood, isGreedy) = ParseLogProbs(choices[i], context.Length);
            Assert.Equal(engine[i].Sum(x => (double)x), logLikelihood, Tolerance);
            var perToken = logprobs["token_logprobs"]!.AsArray().Skip(context.Length).Take(continuations[i].Length).Select(l => l!.GetValue<double>()).ToArray();
            for (var t = 0; t < perToken.Length; t++) Assert.Equal(engine[i][t], perToken[t], Tolerance);
            Assert.Equal(Greedy(local, context, continuations[i].Length).SequenceEqual(continuations[i]), isGreedy);
        }
        Assert.True(ParseLogProbs(choices[0], context.Length).IsGreedy);
        Assert.False(ParseLogProbs(choices[1], context.Length).IsGreedy);

        // That request is answered by one scoring pass (no decoding): its token is the one the generator picks when the
        // same prompts are decoded without echo, with the same log-probability and finish reason.
        var (decodedStatus, decodedBody) = await Post("/completions", new JsonObject
        {
            ["model"] = ServerFixture.BaseName,
            ["prompt"] = payload["prompt"]!.DeepClone(),
            ["temperature"] = 0,
            ["max_tokens"] = 1,
            ["logprobs"] = 1,
        });
        Assert.Equal(HttpStatusCode.OK, decodedStatus);
        var decoded = SortedChoices(decodedBody!);
        for (var i = 0; i < prompts.Length; i++)
        {
            var echoed = choices[i]["logprobs"]!;
            var alone = decoded[i]["logprobs"]!;
            Assert.Equal(alone["tokens"]![0]!.GetValue<string>(), echoed["tokens"]!.AsArray()[^1]!.GetValue<string>());
            Assert.Equal(alone["token_logprobs"]![0]!.GetValue<double>(), echoed["token_logprobs"]!.AsArray()[^1]!.GetValue<double>(), Tolerance);
            Assert.Equal(decoded[i]["finish_reason"]!.GetValue<string>(), choices[i]["finish_reason"]!.GetValue<string>());
            Assert.Equal(local.Tokenizer.Decode(prompts[i]) + decoded[i]["text"]!.GetValue<string>(), choices[i]["text"]!.GetValue<string>());
        }

        // max_tokens 0 scores the prompt alone: the same numbers, without the generated token.
        payload["max_tokens"] = 0;
        var (scoreStatus, scored) = await Post("/completions", payload);
        Assert.Equal(HttpStatusCode.OK, scoreStatus);
        var scoredChoices = SortedChoices(scored!);
        for (var i = 0; i < prompts.Length; i++)
        {
            var tokenLogProbs = scoredChoices[i]["logprobs"]!["token_logprobs"]!.AsArray();
            Assert.Equal(prompts[i].Length, tokenLogProbs.Count);
            Assert.Equal(engine[i].Sum(x => (double)x), tokenLogProbs.Skip(context.Length).Sum(l => l!.GetValue<double>()), Tolerance);
            Assert.Equal(local.Tokenizer.Decode(prompts[i]), scoredChoices[i]["text"]!.GetValue<string>());
            Assert.Equal("length", scoredChoices[i]["finish_reason"]!.GetValue<string>());
        }
        Assert.Equal(0, scored!["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(prompts.Sum(p => p.Length), scored["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_remote_tokenizer_routes_answer_what_lm_eval_probes_and_reads()
    {
        using var local = LocalModel.Load(fixture.ModelDir);
        // check_remote_tokenizer_support: /tokenizer_info must hold eos_token, /tokenize must return a tokens list.
        var (infoStatus, info) = await Send(HttpMethod.Get, fixture.Server.BaseUrl + "/tokenizer_info", null);
        Assert.Equal(HttpStatusCode.OK, infoStatus);
        var eos = info!["eos_token"]!.GetValue<string>();
        Assert.Equal(local.Info.MaxContext, info["model_max_length"]!.GetValue<int>());

        // RemoteTokenizer.encode sends add_special_tokens false; its eos_token_id is encode(eos_token)[0].
        var (_, eosIds) = await Send(HttpMethod.Post, fixture.Server.BaseUrl + "/tokenize", new JsonObject { ["prompt"] = eos, ["add_special_tokens"] = false });
        Assert.Equal(local.Tokenizer.EosIds[0], eosIds!["tokens"]![0]!.GetValue<int>());
        const string text = "Question: 2+2? Answer: 4 ✓";
        var (_, encoded) = await Send(HttpMethod.Post, fixture.Server.BaseUrl + "/tokenize", new JsonObject { ["prompt"] = text, ["add_special_tokens"] = false });
        var ids = encoded!["tokens"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
        Assert.Equal(local.Tokenizer.Encode(text, addSpecial: false), ids);
        Assert.Equal(ids.Length, encoded["count"]!.GetValue<int>());
        var (_, decoded) = await Send(HttpMethod.Post, fixture.Server.BaseUrl + "/detokenize", new JsonObject { ["tokens"] = Ids(ids) });
        Assert.Equal(text, decoded!["prompt"]!.GetValue<string>());

        var (badStatus, bad) = await Send(HttpMethod.Post, fixture.Server.BaseUrl + "/detokenize", new JsonObject { ["tokens"] = Ids([65, 100000]) }, expectSuccess: false);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("tokens[1]", bad!["error"]!["param"]!.GetValue<string>());
        var (keyless, _) = await Send(HttpMethod.Post, fixture.Server.BaseUrl + "/tokenize", new JsonObject { ["prompt"] = "a" }, expectSuccess: false, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless);
    }

    [Fact]
    public async Task Loglikelihood_with_text_prompts_scores_the_same_tokens_as_with_ids()
    {
        // tokenized_requests=False: lm-eval decodes its token lists and sends text; the byte tokenizer re-encodes it exactly.
        using var local = LocalModel.Load(fixture.ModelDir);
        const string context = "The capital of France is";
        string[] continuations = [" Paris", " Rome"];
        var contextIds = local.Tokenizer.Encode(context, addSpecial: false);
        var payload = new JsonObject
        {
            ["model"] = ServerFixture.BaseName,
            ["prompt"] = new JsonArray(continuations.Select(c => (JsonNode)(context + c)).ToArray()),
            ["temperature"] = 0,
            ["max_tokens"] = 1,
            ["logprobs"] = 1,
            ["seed"] = 1234,
            ["echo"] = true,
        };
        var (_, body) = await Post("/completions", payload);
        var choices = SortedChoices(body!);
        var engine = EngineScores(local, continuations.Select(c => ((IReadOnlyList<int>)contextIds, (IReadOnlyList<int>)local.Tokenizer.Encode(c, addSpecial: false))).ToArray());
        for (var i = 0; i < continuations.Length; i++)
            Assert.Equal(engine[i].Sum(x => (double)x), ParseLogProbs(choices[i], contextIds.Length).LogLikelihood, Tolerance);
    }

    [Fact]
    public async Task Generate_until_requests_stop_where_the_engine_stops_for_text_and_token_prompts()
    {
        using var local = LocalModel.Load(fixture.ModelDir);
        const string prompt = "Count: 1 2 3";
        var free = local.Generate([prompt], new TextGenerationSettings { Temperature = 0, MaxNewTokens = 16 })[0][0].Text;
        Assert.True(free.Length >= 6, $"the tiny model's reply '{free}' is too short to cut");
        var stop = free.Substring(4, 2);
        var expected = local.Generate([prompt], new TextGenerationSettings { Temperature = 0, MaxNewTokens = 16, Stop = [stop] })[0][0];

        // LocalCompletionsAPI._create_payload(generate=True): prompt, max_tokens, temperature, stop (until + eos), seed.
        foreach (JsonNode form in new JsonNode[] { prompt, new JsonArray(Ids(local.Tokenizer.Encode(prompt, addSpecial: true))) })
        {
            var payload = new JsonObject
            {
                ["model"] = ServerFixture.BaseName,
                ["prompt"] = form,
                ["max_tokens"] = 16,
                ["temperature"] = 0,
                ["stop"] = new JsonArray(stop, "<|endoftext|>"),
                ["seed"] = 1234,
            };
            var (status, body) = await Post("/completions", payload);
            Assert.Equal(HttpStatusCode.OK, status);
            var choice = SortedChoices(body!).Single();
            Assert.Equal(expected.Text, choice["text"]!.GetValue<string>());
            Assert.DoesNotContain(stop, choice["text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Reported_logprobs_are_untempered_and_echo_puts_the_prompt_first()
    {
        using var local = LocalModel.Load(fixture.ModelDir);
        const string prompt = "Sample at 0.7:";
        var ids = local.Tokenizer.Encode(prompt, addSpecial: true);
        // A seeded request runs alone, so the server draws what the engine draws locally with the same seed.
        var sampled = local.Generate([prompt], new TextGenerationSettings { Temperature = 0.7, MaxNewTokens = 6, Seed = 5 })[0][0];
        var (status, body) = await Post("/completions", new JsonObject
        {
            ["model"] = ServerFixture.BaseName,
            ["prompt"] = prompt,
            ["max_tokens"] = 6,
            ["temperature"] = 0.7,
            ["seed"] = 5,
            ["logprobs"] = 3,
            ["echo"] = true,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var choice = SortedChoices(body!).Single();
        Assert.Equal(prompt + sampled.Text, choice["text"]!.GetValue<string>());

        var logprobs = choice["logprobs"]!;
        var tokenLogProbs = logprobs["token_logprobs"]!.AsArray();
        Assert.Equal(ids.Length + sampled.TokenIds.Length, tokenLogProbs.Count);
        var generated = tokenLogProbs.Skip(ids.Length).Select(l => l!.GetValue<double>()).ToArray();
        var untempered = EngineScores(local, [((IReadOnlyList<int>)ids, (IReadOnlyList<int>)sampled.TokenIds)])[0];
        for (var t = 0; t < generated.Length; t++) Assert.Equal(untempered[t], generated[t], Tolerance);
        // The sampler's own numbers are log-softmax(logits / 0.7): not what is reported.
        Assert.Contains(Enumerable.Range(0, generated.Length), t => Math.Abs(sampled.LogProbs[t] - generated[t]) > 1e-3);

        // Three likeliest alternatives plus the chosen token. Keys are token texts: byte tokens that are not UTF-8 alone all
        // read U+FFFD, and the likelier of two tokens sharing a text keeps the key, so the chosen text maps to at least its own value.
        var tops = logprobs["top_logprobs"]!.AsArray();
        var tokens = logprobs["tokens"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
        for (var t = 1; t < tops.Count; t++)
        {
            var map = tops[t]!.AsObject();
            Assert.InRange(map.Count, 1, 4);
            var own = tokenLogProbs[t]!.GetValue<double>();
            Assert.True(map[tokens[t]]!.GetValue<double>() >= own);
            Assert.True(map.Max(kv => kv.Value!.GetValue<double>()) >= own);
        }
        var offsets = logprobs["text_offset"]!.AsArray().Select(o => o!.GetValue<int>()).ToArray();
        for (var t = 1; t < offsets.Length; t++) Assert.Equal(offsets[t - 1] + tokens[t - 1].Length, offsets[t]);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public async Task A_one_token_prompt_echoes_with_a_null_first_logprob(int maxTokens, int entries)
    {
        var (status, body) = await Post("/completions", new JsonObject
        {
            ["model"] = ServerFixture.BaseName,
            ["prompt"] = new JsonArray(65),
            ["echo"] = true,
            ["max_tokens"] = maxTokens,
            ["logprobs"] = 2,
            ["temperature"] = 0,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var logprobs = body!["choices"]![0]!["logprobs"]!;
        Assert.Equal("A", logprobs["tokens"]![0]!.GetValue<string>());
        Assert.Equal(entries, logprobs["token_logprobs"]!.AsArray().Count);
        Assert.Null(logprobs["token_logprobs"]![0]);
        if (entries == 2) Assert.InRange(logprobs["top_logprobs"]![1]!.AsObject().Count, 1, 3);
    }

    [Fact]
    public async Task Chat_top_logprobs_list_the_likeliest_tokens_first()
    {
        var (status, body) = await Post("/chat/completions", new JsonObject
        {
            ["model"] = ServerFixture.BaseName,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            ["max_tokens"] = 5,
            ["temperature"] = 0,
            ["logprobs"] = true,
            ["top_logprobs"] = 3,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var content = body!["choices"]![0]!["logprobs"]!["content"]!.AsArray();
        Assert.NotEmpty(content);
        foreach (var entry in content)
        {
            var top = entry!["top_logprobs"]!.AsArray().Select(x => x!["logprob"]!.GetValue<double>()).ToArray();
            Assert.Equal(3, top.Length);
            Assert.True(top[0] >= top[1] && top[1] >= top[2]);
            // Greedy: the chosen token is the likeliest.
            Assert.Equal(top[0], entry["logprob"]!.GetValue<double>(), 1e-5);
        }
    }

    /// <summary>lm-eval's <c>parse_logprobs</c> for one choice: the sum of token_logprobs[ctxlen:-1], and whether each equals the largest of its top_logprobs.</summary>
    private static (double LogLikelihood, bool IsGreedy) ParseLogProbs(JsonNode choice, int contextLength)
    {
        var tokenLogProbs = choice["logprobs"]!["token_logprobs"]!.AsArray();
        var topLogProbs = choice["logprobs"]!["top_logprobs"]!.AsArray();
        var span = tokenLogProbs.Count - 1 - contextLength;
        var own = tokenLogProbs.Skip(contextLength).Take(span).Select(l => l!.GetValue<double>()).ToArray();
        var tops = topLogProbs.Skip(contextLength).Take(span).Select(t => t!.AsObject().Max(kv => kv.Value!.GetValue<double>())).ToArray();
        return (own.Sum(), own.Zip(tops).All(p => p.First == p.Second));
    }

    /// <summary>choices sorted by index, as parse_logprobs and parse_generations read them.</summary>
    private static JsonNode[] SortedChoices(JsonNode body) =>
        body["choices"]!.AsArray().Select(c => c!).OrderBy(c => c["index"]!.GetValue<int>()).ToArray();

    /// <summary>The engine's own scorer (the one GRPO trains with), at temperature 1.</summary>
    private static float[][] EngineScores(LocalModel local, IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> pairs)
    {
        using var noGrad = no_grad();
        using var scores = CompletionScorer.Score(local.Model, pairs, temperature: 1.0, padTokenId: local.Tokenizer.PadId);
        using var cpu = scores.LogProbs.cpu();
        var flat = cpu.data<float>().ToArray();
        var width = (int)cpu.shape[1];
        return pairs.Select((p, i) => flat.AsSpan(i * width, p.Completion.Count).ToArray()).ToArray();
    }

    private static int[] Greedy(LocalModel local, int[] context, int tokens) =>
        local.GenerateTokens([context], new TextGenerationSettings { Temperature = 0, MaxNewTokens = tokens })[0][0].TokenIds;

    private static JsonArray Ids(IEnumerable<int> ids) => new(ids.Select(i => (JsonNode)i).ToArray());

    private Task<(HttpStatusCode Status, JsonNode? Body)> Post(string route, JsonObject payload) => Send(HttpMethod.Post, fixture.V1 + route, payload);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpMethod method, string url, JsonObject? payload, bool expectSuccess = true, string? key = "")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, url);
        if (payload is not null) request.Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Length == 0 ? fixture.Key : key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (expectSuccess) Assert.True(response.IsSuccessStatusCode, text);
        return (response.StatusCode, JsonNode.Parse(text));
    }
}
