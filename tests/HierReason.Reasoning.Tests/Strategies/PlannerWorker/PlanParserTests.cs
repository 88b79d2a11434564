using HierReason.Reasoning.Strategies.PlannerWorker;

namespace HierReason.Reasoning.Tests.Strategies.PlannerWorker;

public class PlanParserTests
{
    private const string Plain = """{"should_decompose": true, "subproblems": ["What is 2 + 3?", "What is 4 * 5?"], "plan": "add them"}""";

    [Fact]
    public void Reads_the_seed_format()
    {
        var plan = PlanParser.Parse(Plain)!;
        Assert.True(plan.ShouldDecompose);
        Assert.Equal(["What is 2 + 3?", "What is 4 * 5?"], plan.Subproblems);
        Assert.Equal("add them", plan.Text);
        Assert.True(plan.Decomposes);
    }

    [Theory]
    [InlineData("Sure! Here is my plan:\n" + Plain + "\nHope this helps {.")]
    [InlineData("```json\n" + Plain + "\n```")]
    [InlineData("{\"thoughts\": \"none\"} and then " + Plain)]
    public void Finds_the_plan_among_other_text(string text) => Assert.Equal(["What is 2 + 3?", "What is 4 * 5?"], PlanParser.Parse(text)!.Subproblems);

    [Fact]
    public void Nested_objects_do_not_end_the_plan_early()
    {
        var plan = PlanParser.Parse("""{"should_decompose": false, "meta": {"a": {"b": [1, {"c": 2}]}}, "subproblems": [], "plan": "direct"}""")!;
        Assert.False(plan.ShouldDecompose);
        Assert.Equal("direct", plan.Text);
    }

    [Fact]
    public void A_plan_nested_in_another_object_is_found()
        => Assert.Equal(["q"], PlanParser.Parse("""{"response": {"should_decompose": true, "subproblems": ["q"]}}""")!.Subproblems);

    [Fact]
    public void Braces_and_escaped_quotes_inside_strings_do_not_count()
    {
        var plan = PlanParser.Parse("""x {"should_decompose": true, "subproblems": ["What is {x} }?", "say \"}{\""], "plan": "a \\ b \\"} tail""")!;
        Assert.Equal(["What is {x} }?", "say \"}{\""], plan.Subproblems);
        Assert.Equal("a \\ b \\", plan.Text);
    }

    [Theory]
    [InlineData("""{"should_decompose": true, "subproblems": ["a", "b""")]
    [InlineData("""{"should_decompose": true, "subproblems": ["a"], "plan": "x""")]
    [InlineData("""{"should_decompose": tr""")]
    public void Truncated_json_is_not_a_plan(string text) => Assert.Null(PlanParser.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("I would just add the numbers. <answer>7</answer>")]
    [InlineData("""{"plan": "no decision"}""")]
    [InlineData("""{"should_decompose": "yes", "subproblems": []}""")]
    [InlineData("""{"should_decompose": true, "subproblems": [3, 4]}""")]
    [InlineData("""{"should_decompose": true, "subproblems": "a, b"}""")]
    [InlineData("""{"should_decompose": true, "subproblems": ["a"] "plan": "missing comma"}""")]
    [InlineData("""{"text": "should_decompose", "plan": "the word as a value, not a key"}""")]
    public void Text_without_a_well_typed_plan_is_not_a_plan(string text) => Assert.Null(PlanParser.Parse(text));

    [Fact]
    public void Blank_sub_questions_are_dropped_and_a_decomposition_needs_one()
    {
        var plan = PlanParser.Parse("""{"should_decompose": true, "subproblems": ["  ", ""], "plan": ""}""")!;
        Assert.True(plan.ShouldDecompose);
        Assert.Empty(plan.Subproblems);
        Assert.False(plan.Decomposes);
    }

    [Fact]
    public void A_megabyte_of_prose_before_the_plan_is_read_through()
    {
        var text = string.Concat(Enumerable.Repeat("Some \"quoted\" words } and more. ", 32_000)) + Plain;
        Assert.True(text.Length > 1_000_000);
        Assert.Equal(2, PlanParser.Parse(text)!.Subproblems.Count);
    }

    [Fact]
    public void A_megabyte_of_braces_or_broken_candidates_gives_no_plan()
    {
        Assert.Null(PlanParser.Parse(new string('{', 1_000_000)));
        Assert.Null(PlanParser.Parse(string.Concat(Enumerable.Repeat("{\"should_decompose\": 1, \"a\": ", 40_000)) + new string('}', 40_000)));
        Assert.Null(PlanParser.Parse(string.Concat(Enumerable.Repeat("{\"should_decompose\": nope} ", 40_000))));
        Assert.Null(PlanParser.Parse("{\"plan\": \"" + new string('x', 1_000_000)));
    }
}
