using HierReason.Engine.Generation;

namespace HierReason.Engine.Tests.Generation;

public class StopStringsTests
{
    [Fact]
    public void Stop_string_split_across_tokens_is_found_and_cut_off()
    {
        var stops = new StopStrings(["</answer>"]);
        var first = stops.Push("The answer is <answer>4</ans");
        Assert.Equal(new StopStep("The answer is <answer>4", false), first);
        Assert.Equal("</ans", stops.Pending);

        var second = stops.Push("wer> and more");
        Assert.Equal(new StopStep("", true), second);
        Assert.True(stops.Stopped);
        Assert.Equal("</answer>", stops.MatchedStop);
        Assert.Equal("The answer is <answer>4", stops.Text);
    }

    [Fact]
    public void Stop_string_fed_one_character_at_a_time_matches()
    {
        var stops = new StopStrings(["\n\nUser:"]);
        var shown = "";
        foreach (var c in "Sure.\n\nUser: next")
        {
            var step = stops.Push(c.ToString());
            shown += step.Safe;
            if (step.Stopped)
                break;
        }

        Assert.True(stops.Stopped);
        Assert.Equal("Sure.", shown);
        Assert.Equal("Sure.", stops.Text);
    }

    [Fact]
    public void False_start_is_released_once_it_cannot_become_a_stop()
    {
        var stops = new StopStrings(["abc"]);
        Assert.Equal(new StopStep("", false), stops.Push("ab"));
        Assert.Equal(new StopStep("ababd", false), stops.Push("abd"));
        Assert.Equal("", stops.Pending);
        Assert.False(stops.Stopped);
    }

    [Fact]
    public void Repeated_prefix_characters_still_match()
    {
        Assert.Equal("a", StopStrings.Truncate("aaab", ["aab"]));
        // "ab" "ab" "ac": the automaton must fall back from "abab" to "ab" to see "abac" start at index 4.
        Assert.Equal("xyab", StopStrings.Truncate("xyababac", ["abac"]));
    }

    [Fact]
    public void The_stop_that_completes_first_wins()
    {
        var stops = new StopStrings(["bcd", "c"]);
        stops.Push("abcd");
        Assert.Equal("ab", stops.Text);
        Assert.Equal("c", stops.MatchedStop);

        // A short stop inside a longer one ends the text where it completes.
        Assert.Equal("a", StopStrings.Truncate("abcd", ["abcd", "bc"]));
    }

    [Fact]
    public void Text_without_a_stop_comes_out_whole_through_safe_pieces_and_flush()
    {
        var stops = new StopStrings(["<|im_end|>", "\n\n\n"]);
        var shown = "";
        foreach (var piece in new[] { "Hello <", "|im", "_start|>", " x\n\n", "y <|im_en", "d" })
            shown += stops.Push(piece).Safe;
        Assert.Equal("Hello <|im_start|> x\n\ny ", shown);
        Assert.Equal("<|im_end", stops.Pending);
        shown += stops.Flush();
        Assert.Equal("Hello <|im_start|> x\n\ny <|im_end", shown);
        Assert.Equal(shown, stops.Text);
    }

    [Fact]
    public void Truncate_cuts_at_the_stop_or_returns_the_whole_text()
    {
        Assert.Equal("x", StopStrings.Truncate("x<|im_end|>y", ["<|im_end|>"]));
        Assert.Equal("no stop here", StopStrings.Truncate("no stop here", ["</answer>"]));
        Assert.Equal("anything", StopStrings.Truncate("anything", []));
    }

    [Fact]
    public void Empty_stop_strings_are_ignored()
    {
        Assert.Equal("abc", StopStrings.Truncate("abc", ["", "zz"]));
    }

    [Fact]
    public void Pushing_after_a_stop_is_a_bug()
    {
        var stops = new StopStrings(["x"]);
        stops.Push("x");
        Assert.Throws<InvalidOperationException>(() => stops.Push("more"));
    }
}
