using System.Text.Json.Nodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class SimpleGeometryTests
{
    private readonly SimpleGeometryTask _task = new();

    private static TaskItem Pentagon() => new("simple_geometry/test/0/0", "simple_geometry",
        "A convex polygon has 5 sides. 4 of its interior angles are 100, 120, 95, and 110 degrees. How many degrees is the remaining interior angle?",
        "115",
        new SimpleGeometryMetadata { Sides = 5, GivenAngles = [100, 120, 95, 110], MissingAngle = 115 });

    [Fact]
    public void Angles_sum_to_the_polygon_sum_and_all_lie_strictly_between_0_and_180()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 500))
        {
            var meta = (SimpleGeometryMetadata)item.Metadata;
            Assert.InRange(meta.Sides, 3, 6);
            Assert.Equal(meta.Sides - 1, meta.GivenAngles.Count);
            Assert.Equal((meta.Sides - 2) * 180, meta.GivenAngles.Sum() + meta.MissingAngle);
            Assert.All(meta.GivenAngles.Append(meta.MissingAngle), a => Assert.InRange(a, 10, 170));
            Assert.Equal(meta.MissingAngle.ToString(), item.Answer);
            Assert.Contains($"has {meta.Sides} sides", item.Question);
            foreach (var a in meta.GivenAngles) Assert.Contains(a.ToString(), item.Question);
        }
    }

    [Fact]
    public void Hand_checked_pentagon_trace_matches_the_documented_form()
    {
        var item = TaskDataset.Create(_task, Split.Train, 0, 2000)
            .First(i => ((SimpleGeometryMetadata)i.Metadata).Sides == 5);
        var m = (SimpleGeometryMetadata)item.Metadata;
        var given = m.GivenAngles.Sum();
        Assert.Equal(
            $"sum of interior angles = (5 - 2) * 180 = 540\ngiven: {string.Join(" + ", m.GivenAngles)} = {given}\n540 - {given} = {540 - given}\n<answer>{540 - given}</answer>",
            item.Solution);
    }

    [Theory]
    [InlineData("115", 1.0)]
    [InlineData("115°", 1.0)]
    [InlineData(" 115 ° ", 1.0)]
    [InlineData("115 degrees", 1.0)]
    [InlineData("115 Degrees", 1.0)]
    [InlineData("115 degree", 1.0)]
    [InlineData("115deg", 1.0)]
    [InlineData("115.0", 1.0)]
    [InlineData("114", 0.0)]
    [InlineData("1150", 0.0)]
    [InlineData("15", 0.0)]
    [InlineData("degrees", 0.0)]
    [InlineData("°", 0.0)]
    [InlineData("115 radians", 0.0)]
    [InlineData("115 degrees degrees", 0.0)]
    public void Missing_pentagon_angle_is_115_with_or_without_a_unit(string answer, double expected)
    {
        Assert.Equal(expected, _task.Score(answer, Pentagon()));
    }

    [Fact]
    public void Easiest_level_is_triangles_only()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 200, level: 0))
        {
            var m = (SimpleGeometryMetadata)item.Metadata;
            Assert.Equal(3, m.Sides);
            Assert.Equal(180, m.GivenAngles[0] + m.GivenAngles[1] + m.MissingAngle);
        }
    }

    [Fact]
    public void Hardest_level_still_draws_valid_convex_polygons()
    {
        var hardest = _task.Levels.Count - 1;
        foreach (var item in TaskDataset.Create(_task, Split.Test, 0, 300, level: hardest))
        {
            var m = (SimpleGeometryMetadata)item.Metadata;
            Assert.Equal((m.Sides - 2) * 180, m.GivenAngles.Sum() + m.MissingAngle);
            Assert.All(m.GivenAngles.Append(m.MissingAngle), a => Assert.InRange(a, 1, 179));
        }
    }

    [Fact]
    public void Angle_range_that_no_polygon_in_range_can_meet_is_rejected_by_path()
    {
        // Three angles of at least 70 degrees cannot sum to 180.
        var tooWide = Assert.Throws<HierReason.Core.ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_angle"] = 70 }, "tasks/simple_geometry.json", "$.config"));
        Assert.Equal("$.config.min_angle", tooWide.JsonPath);
        // Six angles of at most 100 degrees cannot sum to 720.
        var tooNarrow = Assert.Throws<HierReason.Core.ConfigException>(() => _task.ParseConfig(new JsonObject { ["max_angle"] = 100 }));
        Assert.Equal("$.max_angle", tooNarrow.JsonPath);
        var notAPolygon = Assert.Throws<HierReason.Core.ConfigException>(() => _task.ParseConfig(new JsonObject { ["min_sides"] = 2 }));
        Assert.Equal("$.min_sides", notAPolygon.JsonPath);
        var notConvex = Assert.Throws<HierReason.Core.ConfigException>(() => _task.ParseConfig(new JsonObject { ["max_angle"] = 180 }));
        Assert.Equal("$.max_angle", notConvex.JsonPath);
    }
}
