using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Backends.Serving;
using HierReason.Core.Episodes;
using HierReason.Engine.Chat;
using HierReason.Engine.Generation;
using HierReason.Engine.Inference;
using HierReason.Reasoning.Policies;
using static TorchSharp.torch;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// Constrained choice (a json_schema <c>response_format</c> with one string enum) against a real <c>hierreason serve</c>:
/// the reply is always one of the values, temperature 0 takes the candidate the engine's scorer rates highest, seeded
/// draws repeat, malformed formats are 400s, and the OpenAI client and <see cref="BackendPolicy"/> go through it end to end.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ServedChoiceTests(ServerFixture fixture)
{
    private const string Field = "next_thought_type";
    private static readonly string[] Thoughts = ["Active computation", "Finish thinking", "Verify the result", "Plan next steps"];
    // Same length, one token apart: an untrained model rates them close, so draws at a high temperature spread over them.
    private static readonly string[] Options = ["option A", "option B", "option C", "option D"];

    [Fact]
    public async Task A_chat_choice_replies_with_json_naming_one_of_the_values()
    {
        var (status, text) = await Post("/chat/completions", Chat("What next?", Thoughts, """ "n": 4, "temperature": 1.0, "logprobs": true """));

        Assert.True(status == HttpStatusCode.OK, text);
        var body = JsonNode.Parse(text)!;
        var choice = new ChoiceConstraint(Field, Thoughts);
        var tokens = 0;
        foreach (var c in body["choices"]!.AsArray())
        {
            var content = c!["message"]!["content"]!.GetValue<string>();
            var value = choice.Parse(content);
            Assert.NotNull(value);
            Assert.Equal(choice.Reply(value), content);
            Assert.Equal("stop", c["finish_reason"]!.GetValue<string>());
            var logprobs = c["logprobs"]!["content"]!.AsArray();
            // The reply's bytes, then the end-of-turn token.
            Assert.Equal(Encoding.UTF8.GetByteCount(content) + 1, logprobs.Count);
            Assert.Equal("<|im_end|>", logprobs[^1]!["token"]!.GetValue<string>());
            tokens += logprobs.Count;
        }
        Assert.Equal(4, body["choices"]!.AsArray().Count);
        Assert.Equal(tokens, body["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task At_temperature_zero_the_choice_is_the_candidate_the_engine_scores_highest()
    {
        using var local = LocalModel.Load(fixture.ModelDir);
        var choice = new ChoiceConstraint(Field, Thoughts);
        var chatPrompt = local.EncodeChat([new ChatMessage("user", "What next?")]);
        var textPrompt = local.Tokenizer.Encode("Thought type:", addSpecial: true);
        var chatTotals = Totals(local, chatPrompt, choice, local.Tokenizer.TokenToId("<|im_end|>")!.Value);
        var textTotals = Totals(local, textPrompt, choice, local.Tokenizer.TokenToId("<|endoftext|>")!.Value);
        var chatBest = Thoughts[Array.IndexOf(chatTotals, chatTotals.Max())];
        var textBest = Thoughts[Array.IndexOf(textTotals, textTotals.Max())];

        var (status, text) = await Post("/chat/completions", Chat("What next?", Thoughts, """ "n": 3, "temperature": 0, "logprobs": true """));
        Assert.True(status == HttpStatusCode.OK, text);
        var choices = JsonNode.Parse(text)!["choices"]!.AsArray();
        Assert.All(choices, c => Assert.Equal(choice.Reply(chatBest), c!["message"]!["content"]!.GetValue<string>()));
        var served = choices[0]!["logprobs"]!["content"]!.AsArray().Sum(t => t!["logprob"]!.GetValue<double>());
        Assert.Equal(chatTotals.Max(), served, 3);

        var completions = JsonNode.Parse((await Post("/completions", Completion("Thought type:", Thoughts, """ "temperature": 0 """))).Text)!;
        Assert.Equal(choice.Reply(textBest), completions["choices"]![0]!["text"]!.GetValue<string>());

        // The local backend takes the same path in-process.
        await using var backend = new LocalModelBackend("tiny", LocalModel.Load(fixture.ModelDir));
        var inProcess = (await backend.ChatAsync([[new Message("user", "What next?")]], new SamplingSettings { Choice = choice }))[0][0];
        Assert.Equal(choice.Reply(chatBest), inProcess.Text);
        Assert.Equal("stop", inProcess.FinishReason);
        Assert.Equal(Encoding.UTF8.GetByteCount(inProcess.Text) + 1, inProcess.CompletionTokens);
        Assert.Equal(chatTotals.Max(), inProcess.LogProbs!.Sum(x => (double)x), 3);
    }

    [Fact]
    public async Task Seeded_draws_repeat_and_spread_over_the_values_at_a_high_temperature()
    {
        var request = Chat("Pick one.", Options, """ "n": 64, "temperature": 2.0, "seed": 11 """);
        var first = Values(await Post("/chat/completions", request));
        var again = Values(await Post("/chat/completions", request));

        Assert.Equal(64, first.Length);
        Assert.Equal(first, again);
        Assert.All(first, v => Assert.Contains(v, Options));
        Assert.True(first.Distinct().Count() > 1, "64 draws at temperature 2 all chose " + first[0]);
    }

    [Fact]
    public async Task Choice_and_free_requests_arriving_together_each_get_their_own_kind_of_reply()
    {
        var requests = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? Post("/chat/completions", Chat($"Question {i}?", Thoughts, """ "temperature": 0 """))
            : Post("/chat/completions", $$"""{"model": "tiny", "messages": [{"role": "user", "content": "Question {{i}}?"}], "max_tokens": 5, "temperature": 0}""")).ToArray();

        var answers = await Task.WhenAll(requests);

        var choice = new ChoiceConstraint(Field, Thoughts);
        for (var i = 0; i < answers.Length; i++)
        {
            Assert.True(answers[i].Status == HttpStatusCode.OK, answers[i].Text);
            var body = JsonNode.Parse(answers[i].Text)!;
            var content = body["choices"]![0]!["message"]!["content"]!.GetValue<string>();
            if (i % 2 == 0) Assert.NotNull(choice.Parse(content));
            else Assert.InRange(body["usage"]!["completion_tokens"]!.GetValue<int>(), 1, 5);
        }
    }

    [Fact]
    public async Task A_streamed_choice_sends_the_whole_reply_as_one_chunk()
    {
        var (status, text) = await Post("/chat/completions", Chat("What next?", Thoughts, """ "temperature": 0, "stream": true """));

        Assert.True(status == HttpStatusCode.OK, text);
        var chunks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l["data: ".Length..]).ToArray();
        Assert.Equal("[DONE]", chunks[^1]);
        var contents = chunks[..^1].Select(c => JsonNode.Parse(c)!["choices"]![0]!["delta"]!["content"]?.GetValue<string>()).Where(c => !string.IsNullOrEmpty(c)).ToArray();
        Assert.NotNull(new ChoiceConstraint(Field, Thoughts).Parse(Assert.Single(contents)));
    }

    [Theory]
    [InlineData("""{"type": "json_object"}""")]
    [InlineData("""{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}, "b": {"type": "string", "enum": ["y"]}}, "required": ["a", "b"]}}}""")]
    [InlineData("""{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": {"a": {"type": "integer", "enum": [1, 2]}}, "required": ["a"]}}}""")]
    [InlineData("""{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": {"a": {"type": "string", "enum": []}}, "required": ["a"]}}}""")]
    [InlineData("""{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}}}""")]
    [InlineData("""{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}}}}}""")]
    [InlineData(""" "json_schema" """)]
    public async Task A_response_format_other_than_a_string_enum_choice_is_a_400_saying_what_is_supported(string format)
    {
        var body = $$"""{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "max_tokens": 4, "response_format": {{format}}""" + "}";
        var (status, text) = await Post("/chat/completions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.StartsWith(ChoiceFormat.Supported, error["message"]!.GetValue<string>());
        Assert.Equal("response_format", error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_text_response_format_is_free_generation()
    {
        var (status, text) = await Post("/completions", """{"model": "tiny", "prompt": "ok?", "max_tokens": 3, "temperature": 0, "response_format": {"type": "text"}}""");
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(3, JsonNode.Parse(text)!["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_openai_client_sends_a_choice_and_serve_answers_it_on_both_routes()
    {
        await using var client = await fixture.ClientAsync();
        var choice = new ChoiceConstraint(Field, Thoughts);
        var settings = new SamplingSettings { N = 3, Temperature = 0.8, Seed = 5, MaxTokens = 64, Choice = choice };

        var chats = await client.ChatAsync([[new Message("user", "What next?")], [new Message("user", "And now?")]], settings);
        var texts = await client.CompleteAsync(["Thought type:"], settings with { Temperature = 0 });

        Assert.All(chats.Concat(texts).SelectMany(c => c), c =>
        {
            Assert.NotNull(choice.Parse(c.Text));
            Assert.Equal("stop", c.FinishReason);
        });
        Assert.Equal([2, 3, 3], new[] { chats.Count, chats[0].Count, chats[1].Count });
        Assert.Equal(3, texts[0].Count);
    }

    [Fact]
    public async Task A_backend_policy_choice_turn_over_serve_writes_the_chosen_value_as_its_segment()
    {
        await using var client = await fixture.ClientAsync();
        var policy = new BackendPolicy(client, PromptMode.Chat, null, new SamplingSettings { Temperature = 0.7, MaxTokens = 16, Stop = ["}"] });
        var strategy = new EpisodeStrategy { Name = "choice", Environment = new OneChoice(new ChoiceSpec(Field, Thoughts)) };
        var runner = new EpisodeRunner(policy, strategy, new EpisodeLimits(256, MaxTurns: 1));

        var episodes = await runner.RunAsync([new Episode(policy.Prompt("Which thought comes next?")), new Episode(policy.Prompt("And then?"))], groupSize: 3, seed: 9);

        Assert.Equal(6, episodes.Count);
        Assert.All(episodes, e => Assert.Contains(Assert.Single(e.PolicySegments).Text, Thoughts));
    }

    /// <summary>An environment whose one policy turn is a constrained choice, after which the episode ends.</summary>
    private sealed class OneChoice(ChoiceSpec spec) : IEnvironment
    {
        public string Name => "one_choice";

        public TurnSpec NextTurn(Episode episode) => TurnSpec.Open with { Choice = spec };

        public Task<IReadOnlyList<EnvironmentStep?>> NextAsync(IReadOnlyList<Episode> episodes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EnvironmentStep?>>(episodes.Select(_ => (EnvironmentStep?)null).ToArray());
    }

    /// <summary>Each value's reply scored alone by the engine's scorer (reply + end token after the prompt), summed.</summary>
    private static double[] Totals(LocalModel local, IReadOnlyList<int> prompt, ChoiceConstraint choice, int endId)
    {
        using var noGrad = no_grad();
        return choice.Values.Select(v =>
        {
            int[] reply = [.. local.Tokenizer.Encode(choice.Reply(v), addSpecial: false), endId];
            using var scores = CompletionScorer.Score(local.Model, [(prompt, reply)], padTokenId: local.Tokenizer.PadId);
            return (double)scores.LogProbs.sum().item<float>();
        }).ToArray();
    }

    private static string[] Values((HttpStatusCode Status, string Text) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        var choice = new ChoiceConstraint(Field, Options);
        return JsonNode.Parse(answer.Text)!["choices"]!.AsArray().Select(c => choice.Parse(c!["message"]!["content"]!.GetValue<string>())!).ToArray();
    }

    /// <summary>The response_format the OpenAI client sends (its exact JSON is pinned in OpenAiChoiceTests).</summary>
    private static string Format(IEnumerable<string> values) => HierReason.Backends.OpenAi.OpenAiBackend.ResponseFormat(new ChoiceConstraint(Field, values.ToArray())).ToJsonString();

    private static string Chat(string question, IEnumerable<string> values, string extra) =>
        $$"""{"model": "tiny", "messages": [{"role": "user", "content": "{{question}}"}], "response_format": {{Format(values)}}, {{extra}}""" + "}";

    private static string Completion(string prompt, IEnumerable<string> values, string extra) =>
        $$"""{"model": "tiny", "prompt": "{{prompt}}", "response_format": {{Format(values)}}, {{extra}}""" + "}";

    private async Task<(HttpStatusCode Status, string Text)> Post(string route, string body)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.V1 + route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
