using HierReason.Backends.OpenAi;

namespace HierReason.Backends.Tests.OpenAi;

/// <summary>A constrained choice over the OpenAI-compatible client: the json_schema response_format it sends, on both routes.</summary>
public sealed class OpenAiChoiceTests
{
    private static readonly ChoiceConstraint Labels = new("next_thought_type", ["Active computation", "Finish thinking"]);

    private const string ResponseFormat =
        "\"response_format\":" + """{"type":"json_schema","json_schema":{"name":"choice","strict":true,"schema":{"type":"object","properties":{"next_thought_type":{"type":"string","enum":["Active computation","Finish thinking"]}},"required":["next_thought_type"],"additionalProperties":false}}}""";

    private static Task<OpenAiBackend> Client(ScriptedEndpoint endpoint) =>
        OpenAiBackend.CreateAsync(new OpenAiBackendOptions { BaseUrl = endpoint.V1, Model = "scripted", MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task A_chat_choice_sends_a_strict_json_schema_with_one_string_enum_and_keeps_the_raw_reply()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        await using var client = await Client(endpoint);

        var completion = (await client.ChatAsync([[new Message("user", "next?")]], new SamplingSettings { MaxTokens = 64, Seed = 3, Choice = Labels }))[0][0];

        Assert.Equal(
            """{"model":"scripted","messages":[{"role":"user","content":"next?"}],"n":1,"temperature":0,"top_p":1,"max_tokens":64,"seed":3,""" + ResponseFormat + "}",
            Assert.Single(endpoint.Bodies));
        Assert.Equal("""{"next_thought_type": "Finish thinking"}""", completion.Text);
        Assert.Equal("Finish thinking", Labels.Parse(completion.Text));
    }

    [Fact]
    public async Task A_completions_choice_sends_the_same_response_format()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        await using var client = await Client(endpoint);

        var completion = (await client.CompleteAsync(["next?"], new SamplingSettings { MaxTokens = 64, Temperature = 0.5, Choice = Labels }))[0][0];

        Assert.Equal(
            """{"model":"scripted","prompt":"next?","n":1,"temperature":0.5,"top_p":1,"max_tokens":64,""" + ResponseFormat + "}",
            Assert.Single(endpoint.Bodies));
        Assert.Equal("forty-two", completion.Text);
    }

    [Fact]
    public async Task Without_a_choice_no_response_format_is_sent()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        await using var client = await Client(endpoint);

        await client.CompleteAsync(["q"], new SamplingSettings { MaxTokens = 4 });

        Assert.Equal("""{"model":"scripted","prompt":"q","n":1,"temperature":0,"top_p":1,"max_tokens":4}""", Assert.Single(endpoint.Bodies));
    }
}
