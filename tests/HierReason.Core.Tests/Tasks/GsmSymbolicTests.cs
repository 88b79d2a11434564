using System.Text.Json.Nodes;
using HierReason.Core.Tasks;
using HierReason.Core.Tasks.Gsm;

namespace HierReason.Core.Tests.Tasks;

public class GsmSymbolicTests
{
    private readonly GsmSymbolicTask _task = new();

    public static TheoryData<string> TemplateIds()
    {
        var data = new TheoryData<string>();
        foreach (var t in GsmTemplates.All) data.Add(t.Id);
        return data;
    }

    /// <summary>Each template's answer, written again from its shown numbers (not by calling the template).</summary>
    private static long Expected(string template, IReadOnlyDictionary<string, long> v, IReadOnlyDictionary<string, string> w) => template switch
    {
        "shopping_change" => v["paid"] - v["count"] * v["price"],
        "multi_item_total" => v["count_a"] * v["price_a"] + v["count_b"] * v["price_b"],
        "discount" => v["price"] - Exact(v["price"] * v["percent"], 100),
        "tickets_change" => v["paid"] - (v["adults"] * v["adult_price"] + v["children"] * v["child_price"]),
        "coins_value" => v["count_a"] * Cents(w["coin_a"]) + v["count_b"] * Cents(w["coin_b"]),
        "half_remaining" => Exact(v["money"] - v["spent"], 2),
        "savings_weeks" => v["start"] + v["weekly"] * v["weeks"],
        "savings_goal" => Exact(v["cost"] - v["have"], v["weekly"]),
        "wages" => (v["hours_a"] + v["hours_b"]) * v["hourly"],
        "weekly_pay" => v["days"] * v["hours"] * v["hourly"] + v["bonus"],
        "rate_time" => v["rate"] * v["time"],
        "speed_distance" => v["speed"] * v["hours"],
        "speed_time" => Exact(v["distance"], v["speed"]),
        "tank_fill" => Exact(v["capacity"] - v["start"], v["flow"]),
        "practice_hours" => Exact(v["minutes"] * v["days"], 60),
        "pages_left" => v["pages"] - v["per_day"] * v["days"],
        "share_equally" => Exact(v["total"], v["friends"]),
        "share_after_keeping" => Exact(v["total"] - v["kept"], v["friends"]),
        "classroom_groups" => Exact(v["boys"] + v["girls"], v["group_size"]),
        "boxes_sold" => Exact(v["made"], v["per_box"]) * v["box_price"],
        "recipe_scaled" => Exact(v["wanted"], v["serves"]) * v["cups"],
        "average_score" => Exact(v["score_a"] + v["score_b"] + v["score_c"], 3),
        "percent_of" => Exact(v["total"] * v["percent"], 100),
        "percent_remaining" => v["total"] - Exact(v["total"] * v["percent"], 100),
        "ages_multiple" => v["age"] * v["times"] - v["gap"],
        "ages_future" => v["age"] + v["older"] + v["years"],
        "bus_passengers" => v["start"] - v["off_first"] + v["on_first"] - v["off_second"],
        "garden_rows" => v["rows"] * v["per_row"] - v["lost"],
        "packs_in_boxes" => v["boxes"] * v["packs"] * v["per_pack"],
        "shop_inventory" => v["stock"] - v["sold_a"] - v["sold_b"] + v["delivered"],
        "more_than" => v["count"] + v["count"] + v["more"],
        _ => throw new Xunit.Sdk.XunitException($"no formula for template '{template}': add one here"),
    };

    private static long Exact(long a, long b)
    {
        Assert.True(b > 0 && a % b == 0, $"{a} / {b} is not exact");
        return a / b;
    }

    private static long Cents(string coin) => coin switch
    {
        "pennies" => 1,
        "nickels" => 5,
        "dimes" => 10,
        "quarters" => 25,
        _ => throw new Xunit.Sdk.XunitException($"unknown coin {coin}"),
    };

    private static TaskDataset Only(GsmSymbolicTask task, string template, int size, int difficulty = 2, long seed = 0)
        => TaskDataset.Create(task, Split.Train, seed, size, new GsmSymbolicConfig { Templates = [template], Difficulty = difficulty });

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Every_template_answer_matches_its_formula_recomputed_from_the_shown_numbers(string id)
    {
        foreach (var difficulty in new[] { 1, 2, 3 })
        {
            foreach (var item in Only(_task, id, difficulty == 2 ? 200 : 100, difficulty))
            {
                var meta = (GsmSymbolicMetadata)item.Metadata;
                Assert.Equal(id, meta.Template);
                var expected = Expected(id, meta.Values, meta.Words);
                Assert.Equal(expected, meta.Answer);
                Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Answer);
                Assert.InRange(meta.Answer, 0, 100_000);
                Assert.False(string.IsNullOrEmpty(meta.Unit));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Question_shows_exactly_its_recorded_numbers_as_non_negative_integers_and_its_words(string id)
    {
        foreach (var item in Only(_task, id, 200, seed: 11))
        {
            var meta = (GsmSymbolicMetadata)item.Metadata;
            var shown = NumbersIn(item.Question);
            Assert.Equal(meta.Values.Values.Order(), shown.Order());
            foreach (var word in meta.Words.Values)
                Assert.Contains(word, item.Question);
            Assert.EndsWith("?", item.Question);
        }
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void Solution_has_one_correct_step_per_line_and_ends_with_the_answer(string id)
    {
        var template = GsmTemplates.Find(id)!;
        foreach (var item in Only(_task, id, 200, seed: 5))
        {
            var lines = item.Solution.Split('\n');
            Assert.Equal(template.Steps + 1, lines.Length);
            Assert.Equal($"<answer>{item.Answer}</answer>", lines[^1]);
            Assert.EndsWith($" = {item.Answer}", lines[^2]);
            foreach (var line in lines[..^1])
                Assert.True(StepIsCorrect(line), $"{id}: wrong step '{line}'");
        }
    }

    [Fact]
    public void Every_template_is_reachable_at_the_default_config()
    {
        var seen = new HashSet<string>();
        foreach (var item in TaskDataset.Create(_task, Split.Train, 1, 3000))
            seen.Add(((GsmSymbolicMetadata)item.Metadata).Template);
        Assert.Equal(GsmTemplates.All.Select(t => t.Id).Order(), seen.Order());
    }

    [Fact]
    public void There_are_at_least_twenty_distinct_templates()
    {
        Assert.True(GsmTemplates.All.Count >= 20);
        Assert.Equal(GsmTemplates.All.Count, GsmTemplates.All.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Easiest_level_uses_only_short_templates_and_small_numbers()
    {
        var shortIds = GsmTemplates.All.Where(t => t.Steps <= 2).Select(t => t.Id).ToHashSet();
        var seen = new HashSet<string>();
        foreach (var item in TaskDataset.Create(_task, Split.Train, 2, 1000, level: 0))
        {
            var meta = (GsmSymbolicMetadata)item.Metadata;
            Assert.Contains(meta.Template, shortIds);
            Assert.All(meta.Values.Values, v => Assert.InRange(v, 0, 500));
            seen.Add(meta.Template);
        }
        Assert.Equal(shortIds.Order(), seen.Order());
    }

    [Fact]
    public void Restricting_templates_draws_only_those()
    {
        var config = new GsmSymbolicConfig { Templates = ["discount", "ages_future"] };
        var ids = TaskDataset.Create(_task, Split.Test, 3, 300, config)
            .Select(i => ((GsmSymbolicMetadata)i.Metadata).Template).Distinct().Order();
        Assert.Equal(["ages_future", "discount"], ids);
    }

    [Fact]
    public void Wrong_number_scores_zero_even_when_it_shares_digits()
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 100).First(i => i.Answer.Length >= 2 && i.Answer[0] != i.Answer[1]);
        var gold = item.Answer;
        Assert.Equal(0.0, _task.Score(gold + "0", item));
        Assert.Equal(0.0, _task.Score(gold[..^1], item));
        Assert.Equal(0.0, _task.Score(gold[1] + gold[..1] + gold[2..], item));
        Assert.Equal(0.0, _task.Score("-" + gold, item));
        Assert.Equal(0.0, _task.Score((long.Parse(gold) + 1).ToString(), item));
    }

    [Fact]
    public void Formatting_variants_currency_sign_and_the_items_unit_word_score_one()
    {
        var dollars = Only(_task, "shopping_change", 1)[0];
        var gold = long.Parse(dollars.Answer);
        Assert.Equal(1.0, _task.Score($"${gold}", dollars));
        Assert.Equal(1.0, _task.Score($"{gold} dollars", dollars));
        Assert.Equal(1.0, _task.Score($" {gold}.00 Dollars ", dollars));
        Assert.Equal(1.0, _task.Score($"{gold}.0", dollars));

        var pages = Only(_task, "pages_left", 1)[0];
        Assert.Equal(1.0, _task.Score($"{pages.Answer} pages", pages));
        Assert.Equal(1.0, _task.Score(long.Parse(pages.Answer).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), pages));
    }

    [Fact]
    public void Other_units_words_and_signs_are_not_accepted()
    {
        var dollars = Only(_task, "shopping_change", 1)[0];
        var pages = Only(_task, "pages_left", 1)[0];
        Assert.Equal(0.0, _task.Score($"{dollars.Answer} thousand", dollars));
        Assert.Equal(0.0, _task.Score($"{dollars.Answer} pages", dollars));
        Assert.Equal(0.0, _task.Score($"{dollars.Answer}dollars", dollars));
        Assert.Equal(0.0, _task.Score($"${pages.Answer}", pages));
        Assert.Equal(0.0, _task.Score($"about {pages.Answer} pages", pages));
        Assert.Equal(0.0, _task.Score("dollars", dollars));
        Assert.Equal(0.0, _task.Score("$", dollars));
    }

    [Fact]
    public void Unknown_template_id_is_rejected_with_its_path_and_the_known_ids()
    {
        var e = Assert.Throws<ConfigException>(() => _task.ParseConfig(
            new JsonObject { ["templates"] = new JsonArray("discount", "dragon_slaying") }, "tasks/gsm_symbolic.json", "$.config"));
        Assert.Equal("$.config.templates[1]", e.JsonPath);
        Assert.Contains("dragon_slaying", e.Message);
        Assert.Contains("shopping_change", e.Message);
        Assert.Contains("tasks/gsm_symbolic.json", e.Message);
    }

    [Fact]
    public void Out_of_range_difficulty_and_a_step_limit_that_excludes_every_chosen_template_are_rejected()
    {
        var difficulty = Assert.Throws<ConfigException>(() => _task.ParseConfig(new JsonObject { ["difficulty"] = 4 }));
        Assert.Equal("$.difficulty", difficulty.JsonPath);
        var steps = Assert.Throws<ConfigException>(() => _task.ParseConfig(
            new JsonObject { ["templates"] = new JsonArray("tickets_change"), ["max_steps"] = 2 }));
        Assert.Equal("$.max_steps", steps.JsonPath);
        var ok = (GsmSymbolicConfig)_task.ParseConfig(new JsonObject { ["templates"] = new JsonArray("rate_time"), ["max_steps"] = 1 });
        Assert.Equal(["rate_time"], ok.Templates);
    }

    /// <summary>Every run of digits, checked to be a whole non-negative number (no sign, no decimals).</summary>
    private static List<long> NumbersIn(string text)
    {
        var numbers = new List<long>();
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) continue;
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            Assert.False(start > 0 && text[start - 1] == '-', $"negative number in: {text}");
            Assert.False(i + 1 < text.Length && text[i] is '.' or ',' && char.IsAsciiDigit(text[i + 1]), $"non-integer in: {text}");
            numbers.Add(long.Parse(text[start..i], System.Globalization.CultureInfo.InvariantCulture));
        }
        return numbers;
    }

    /// <summary>Checks "label: a op b = r" by redoing the arithmetic.</summary>
    private static bool StepIsCorrect(string line)
    {
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0) return false;
        var parts = line[(colon + 2)..].Split(' ');
        if (parts.Length != 5 || parts[3] != "=") return false;
        var a = long.Parse(parts[0]);
        var b = long.Parse(parts[2]);
        var r = long.Parse(parts[4]);
        return parts[1] switch
        {
            "+" => a + b == r,
            "-" => a - b == r && r >= 0,
            "*" => a * b == r,
            "/" => b != 0 && a % b == 0 && a / b == r,
            _ => false,
        };
    }
}
