using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace HierReason.Backends.Tests.Serving;

/// <summary>Requests the server must refuse, each with the right status and an OpenAI-style error body, and keep serving after.</summary>
[Collection(ServerCollection.Name)]
public sealed class RefusalTests(ServerFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonNode? Body)> Post(string route, string body, string? key = "", string? contentType = "application/json")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.V1 + route) { Content = new StringContent(body, Encoding.UTF8, contentType!) };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Length == 0 ? fixture.Key : key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task StillServes()
    {
        var (status, body) = await Post("/completions", """{"model":"tiny","prompt":"ok?","max_tokens":2,"temperature":0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body!["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    private static void AssertError(JsonNode? body, string type, string? param, string? code)
    {
        var error = body!["error"]!;
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.Equal(type, error["type"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal(code, error["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var (status, body) = await Post("/completions", """{"model": "tiny", "prompt": """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", null, "invalid_json");
        await StillServes();
    }

    [Fact]
    public async Task A_wrongly_typed_parameter_is_400_naming_it()
    {
        var (status, body) = await Post("/chat/completions", """{"model": "tiny", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", "temperature", null);
        await StillServes();
    }

    [Fact]
    public async Task An_unknown_model_is_404()
    {
        var (status, body) = await Post("/completions", """{"model": "gpt-9", "prompt": "x"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertError(body, "not_found_error", "model", "model_not_found");
        await StillServes();
    }

    [Fact]
    public async Task Max_tokens_beyond_the_context_is_400()
    {
        var (status, body) = await Post("/completions", """{"model": "tiny", "prompt": "x", "max_tokens": 5000}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", "max_tokens", "context_length_exceeded");
        await StillServes();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var big = "{\"model\": \"tiny\", \"prompt\": \"" + new string('a', 100 * 1024) + "\"}";
        var (status, body) = await Post("/completions", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertError(body, "invalid_request_error", null, "request_too_large");
        await StillServes();
    }

    [Fact]
    public async Task Requests_without_the_bearer_token_are_401()
    {
        var (missing, body) = await Post("/completions", """{"model": "tiny", "prompt": "x"}""", key: null);
        var (wrong, _) = await Post("/completions", """{"model": "tiny", "prompt": "x"}""", key: "sk-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        AssertError(body, "authentication_error", null, "invalid_api_key");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(fixture.Server.BaseUrl + "/health")).StatusCode);
        await StillServes();
    }

    [Fact]
    public async Task Models_lists_the_base_model_and_the_lora_module()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        var list = JsonNode.Parse(await http.GetStringAsync(fixture.V1 + "/models"))!;
        var ids = list["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal([ServerFixture.BaseName, ServerFixture.LoraName], ids);
        Assert.Equal(ServerFixture.BaseName, list["data"]![1]!["parent"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_prompt_array_with_n_answers_prompt_major_choices_with_logprobs()
    {
        var (status, body) = await Post("/completions", """{"model": "tiny", "prompt": ["a", "bb"], "n": 2, "max_tokens": 3, "temperature": 0, "logprobs": 0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var choices = body!["choices"]!.AsArray();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c!["index"]!.GetValue<int>()));
        // Greedy: both samples of a prompt are the same text.
        Assert.Equal(choices[0]!["text"]!.GetValue<string>(), choices[1]!["text"]!.GetValue<string>());
        var counts = choices.Select(c => c!["logprobs"]!["token_logprobs"]!.AsArray().Count).ToArray();
        // One log-probability per generated token: all 3 when the budget ended it, fewer when an end-of-sequence token did.
        for (var i = 0; i < choices.Count; i++)
            if (choices[i]!["finish_reason"]!.GetValue<string>() == "length") Assert.Equal(3, counts[i]);
            else Assert.InRange(counts[i], 1, 3);
        Assert.All(choices, c => Assert.All(c!["logprobs"]!["token_logprobs"]!.AsArray(), l => Assert.True(l!.GetValue<double>() <= 0)));
        Assert.Equal(counts.Sum(), body["usage"]!["completion_tokens"]!.GetValue<int>());
    }
}
