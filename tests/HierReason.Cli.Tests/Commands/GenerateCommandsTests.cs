using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Commands;

public sealed class GenerateCommandsTests(TinyModelFolder tiny) : IClassFixture<TinyModelFolder>
{
    private Task<CliRun> Generate(params string[] extra) =>
        CliRun.Of(["generate", "--model", tiny.Model, "--threads", "1", "--max-new-tokens", "12", .. extra]);

    private static JsonArray Completions(CliRun run) => JsonNode.Parse(run.Out)!["completions"]!.AsArray();

    [Fact]
    public async Task Three_samples_with_a_seed_reproduce_and_differ_from_another_seed()
    {
        var first = await Generate("--prompt", "12+7=", "--n", "3", "--seed", "5", "--temperature", "1", "--json");
        var again = await Generate("--prompt", "12+7=", "--n", "3", "--seed", "5", "--temperature", "1", "--json");
        var other = await Generate("--prompt", "12+7=", "--n", "3", "--seed", "6", "--temperature", "1", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, Completions(first).Count);
        Assert.Equal(first.Out, again.Out);
        Assert.NotEqual(first.Out, other.Out);
    }

    [Fact]
    public async Task Json_holds_text_token_ids_logprobs_finish_reason_and_prompt_tokens()
    {
        var run = await Generate("--prompt", "abc", "--n", "2", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        var completions = Completions(run);
        Assert.Equal(2, completions.Count);
        foreach (var c in completions)
        {
            var ids = c!["token_ids"]!.AsArray();
            var logprobs = c["logprobs"]!.AsArray();
            Assert.InRange(ids.Count, 1, 12);
            Assert.Equal(ids.Count, logprobs.Count);
            Assert.All(logprobs, lp => Assert.True((double)lp! <= 0));
            var reason = (string)c["finish_reason"]!;
            Assert.Contains(reason, new[] { "stop", "length" });
            if (reason == "length") Assert.Equal(12, ids.Count);
            // The byte tokenizer adds no begin-of-sequence token: "abc" is three ids.
            Assert.Equal(3, (int)c["prompt_tokens"]!);
            Assert.NotNull((string?)c["text"]);
        }
    }

    [Fact]
    public async Task A_stop_string_cuts_the_text_before_it()
    {
        // Greedy, so the stop string can be taken from the unrestricted completion itself.
        var free = await Generate("--prompt", "The answer is", "--n", "1", "--temperature", "0", "--json");
        var fullText = (string)Completions(free)[0]!["text"]!;
        Assert.True(fullText.Length >= 4, $"completion too short to cut: '{fullText}'");
        var stop = fullText.Substring(2, 2);
        var cut = await Generate("--prompt", "The answer is", "--n", "1", "--temperature", "0", "--stop", stop, "--json");
        var stopped = Completions(cut)[0]!;
        Assert.Equal(fullText[..fullText.IndexOf(stop, StringComparison.Ordinal)], (string)stopped["text"]!);
        Assert.Equal("stop", (string)stopped["finish_reason"]!);
    }

    [Fact]
    public async Task Human_output_shows_each_completion_with_its_finish_reason_and_token_count()
    {
        var run = await Generate("--prompt", "hi", "--n", "2", "--chat");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("completion 1 of 2", run.Out);
        Assert.Contains("completion 2 of 2", run.Out);
        Assert.Matches(@"finish (stop|length), ([1-9]|1[0-2]) tokens", run.Out);
    }

    [Fact]
    public async Task A_folder_without_a_model_exits_2()
    {
        var run = await CliRun.Of("generate", "--model", tiny.NewFolder("empty"), "--prompt", "x", "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Err);
    }

    [Fact]
    public async Task A_top_p_outside_zero_to_one_exits_2()
    {
        var run = await Generate("--prompt", "x", "--top-p", "1.5");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--top-p", run.Err);
    }
}
