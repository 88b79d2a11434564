using System.Text;
using HierReason.MSBuild;

namespace HierReason.Ecosystem.Tests.MSBuild;

public sealed class JsonPositionsTests
{
    private static JsonPositions Of(string text) => JsonPositions.Of(Encoding.UTF8.GetBytes(text));

    private const string Tasks = """
        {
          // the default set
          "tasks": [
            { "task": "leg_counting", "n": 5 },
            { "task": "no_such_task", "seeds": [0, 1, 1] },
          ],
          "defaults": { "n": 200 }
        }
        """;

    [Theory]
    [InlineData("$", 1, 1)]
    [InlineData("$.tasks", 3, 3)]
    [InlineData("$.tasks[0]", 4, 5)]
    [InlineData("$.tasks[1].task", 5, 7)]
    [InlineData("$.tasks[1].seeds[2]", 5, 47)]
    [InlineData("$.defaults.n", 7, 17)]
    public void A_path_maps_to_the_line_and_column_of_its_property_or_element(string path, int line, int column) =>
        Assert.Equal(new TextPosition(line, column), Of(Tasks).Locate(path));

    [Fact]
    public void A_missing_field_points_at_the_object_that_lacks_it()
    {
        Assert.Equal(new TextPosition(4, 5), Of(Tasks).Locate("$.tasks[0].split"));
        Assert.Equal(new TextPosition(4, 5), Of(Tasks).Locate("$.tasks[0].config.max_animals"));
    }

    [Fact]
    public void Columns_count_characters_not_utf8_bytes()
    {
        var text = "{ \"name\": \"żółw\", \"n\": 3 }";
        Assert.Equal(new TextPosition(1, 19), Of(text).Locate("$.n"));
    }

    [Fact]
    public void A_syntax_error_is_located_where_the_reader_stopped()
    {
        var text = "{\n  \"tasks\": [\n    { \"task\": \"a\" \"n\": 1 }\n  ]\n}";
        Assert.Equal(3, Of(text).Locate("$").Line);
    }
}
