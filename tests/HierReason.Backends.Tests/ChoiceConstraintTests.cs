namespace HierReason.Backends.Tests;

/// <summary>The constrained choice's reply text and its parse back to a value.</summary>
public sealed class ChoiceConstraintTests
{
    private static readonly ChoiceConstraint Labels = new("next_thought_type", ["Active computation", "Finish thinking", "Café & <more>"]);

    [Fact]
    public void The_reply_is_the_json_object_with_the_value_unescaped()
    {
        Assert.Equal("""{"next_thought_type": "Active computation"}""", Labels.Reply("Active computation"));
        Assert.Equal("""{"next_thought_type": "Café & <more>"}""", Labels.Reply("Café & <more>"));
        Assert.Equal("""{"f": "say \"hi\""}""", new ChoiceConstraint("f", ["say \"hi\""]).Reply("say \"hi\""));
    }

    [Theory]
    [InlineData("""{"next_thought_type": "Active computation"}""", "Active computation")]
    [InlineData("""  {"next_thought_type":"Finish thinking"}  """, "Finish thinking")]
    [InlineData("```json\n{\"next_thought_type\": \"Finish thinking\"}\n```", "Finish thinking")]
    [InlineData("```\n{\"next_thought_type\": \"Active computation\"}\n```", "Active computation")]
    [InlineData("```json {\"next_thought_type\": \"Active computation\"}```", "Active computation")]
    [InlineData("""{"next_thought_type": "Caf\u00e9 & <more>"}""", "Café & <more>")]
    [InlineData("Finish thinking", "Finish thinking")]
    public void A_reply_parses_back_to_its_value(string reply, string value) => Assert.Equal(value, Labels.Parse(reply));

    [Theory]
    [InlineData("""{"next_thought_type": "Something else"}""")]
    [InlineData("""{"next_thought_type": "active computation"}""")]
    [InlineData("""{"other": "Active computation"}""")]
    [InlineData("""{"next_thought_type": 3}""")]
    [InlineData("{\"next_thought_type\": \"Active computation")]
    [InlineData("")]
    [InlineData(null)]
    public void A_reply_that_chooses_none_of_the_values_parses_to_null(string? reply) => Assert.Null(Labels.Parse(reply));

    [Fact]
    public void A_choice_needs_one_to_256_unique_non_empty_values()
    {
        Assert.Throws<ArgumentException>(() => new ChoiceConstraint("f", []).Validated());
        Assert.Throws<ArgumentException>(() => new ChoiceConstraint("f", ["a", "a"]).Validated());
        Assert.Throws<ArgumentException>(() => new ChoiceConstraint("f", ["a", ""]).Validated());
        Assert.Throws<ArgumentException>(() => new ChoiceConstraint("", ["a"]).Validated());
        Assert.Throws<ArgumentException>(() => new ChoiceConstraint("f", Enumerable.Range(0, 257).Select(i => $"v{i}").ToArray()).Validated());
        Assert.Same(Labels, Labels.Validated());
    }
}
