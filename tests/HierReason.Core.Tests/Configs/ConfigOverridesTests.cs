using System.Text.Json;
using HierReason.Core.Configs;

namespace HierReason.Core.Tests.Configs;

public class ConfigOverridesTests
{
    [Fact]
    public void Values_that_are_json_are_read_as_json_and_others_as_strings()
    {
        var o = ConfigOverrides.Parse(["max_animals=4", "operators=+-", "flag=true", "names=[\"a\"]", "empty="]);
        Assert.Equal(JsonValueKind.Number, o["max_animals"]!.GetValueKind());
        Assert.Equal(4, o["max_animals"]!.GetValue<int>());
        Assert.Equal("+-", o["operators"]!.GetValue<string>());
        Assert.True(o["flag"]!.GetValue<bool>());
        Assert.Equal("a", o["names"]![0]!.GetValue<string>());
        Assert.Equal("", o["empty"]!.GetValue<string>());
    }

    [Fact]
    public void The_last_assignment_of_a_key_wins()
    {
        var o = ConfigOverrides.Parse(["n=1", "n=2"]);
        Assert.Equal(2, o["n"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("max_animals")]
    [InlineData("=4")]
    public void An_assignment_without_a_key_names_the_option(string assignment)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigOverrides.Parse([assignment]));
        Assert.Equal("--set", e.File);
        Assert.Contains("key=value", e.Message);
    }
}
