using System.Text;
using HierReason.Core.Steps;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Steps;

/// <summary>No text makes a step checker throw, and none makes it slow (each 1 MB line is read once).</summary>
public class HostileTextTests
{
    private const int Megabyte = 1 << 20;

    public static TheoryData<string> CheckedTasks()
    {
        var data = new TheoryData<string>();
        foreach (var task in StepCheckerRegistry.Default.Tasks) data.Add(task);
        return data;
    }

    /// <summary>A real item; for shortest_path one with a path, so moves are really followed.</summary>
    private static TaskItem RealItem(string task)
        => TaskDataset.Create(task, Split.Train, 3, 50).First(i => i.Metadata is not ShortestPathMetadata { Length: <= 0 });

    private static string Repeat(string text, int length)
    {
        var sb = new StringBuilder(length + text.Length);
        while (sb.Length < length) sb.Append(text);
        return sb.ToString();
    }

    private static IEnumerable<string[]> HostileCompletions()
    {
        yield return [];
        yield return [""];
        yield return ["\0\u0001\u001b[2J\r\t\u007f\u0085\u2028"];
        yield return ["1e999 + 1 = 1e999", "99999999999999999999 + 1 = 100000000000000000000", "-9223372036854775808 - 1 = -9223372036854775809"];
        yield return ["9223372036854775807 * 9223372036854775807 = 1", "-9223372036854775808 / -1 = 9223372036854775808", "5 / 0 = 0"];
        yield return ["r99999999999999999999c1 = 1", "r1c99999999999999999999 = 99999999999999999999", "r-1c-1 = -1"];
        yield return ["Move disk 99999999999999999999 from Peg 1 to Peg 3", "Move disk 0 from Peg 0 to Peg 0", "Move disk 9999 from Peg 9999 to Peg 1"];
        yield return ["right (99999999999999999999,1)", "up (0,0)", "left (,)", "down ("];
        yield return ["Ana: = =", ": 1 + 1 = 2", "Ana:", "::::", "Ana: 1 + 1 = 2, , ,"];
        yield return ["r１c２ = ３", "Move disk ١ from Peg ١ to Peg ٣", "ⅠⅡⅢ + ① = ⑳", "\uD800\uDC00\uD800", "👍 right 👍", "Ａｎａ: ٣ + ٤ = ٧"];
        yield return ["<answer>", "<answer></answer></answer><answer>", "</think><think>", "<answer>right</answer>"];
        yield return [Repeat("9", Megabyte)];
        yield return [Repeat("-", Megabyte)];
        yield return [Repeat("1 + ", Megabyte) + "1 = 5"];
        yield return [Repeat("Ana: 1 + 1 = 2, ", Megabyte)];
        yield return [Repeat("r1c1 = 1 ", Megabyte)];
        yield return [Repeat("right ", Megabyte), "left"];
        yield return [Repeat("Move disk 1 from Peg 1 to Peg 3 ", Megabyte)];
        yield return ["right" + Repeat(" ", Megabyte) + "x"];
        yield return [Repeat("<answer>", Megabyte)];
        yield return [Repeat("(", Megabyte)];
        yield return [Repeat("\0", Megabyte)];
    }

    [Theory]
    [MemberData(nameof(CheckedTasks))]
    public void Hostile_text_never_throws_and_gets_one_verdict_per_line(string task)
    {
        var item = RealItem(task);
        var checker = StepCheckerRegistry.Default.Get(task);
        foreach (var lines in HostileCompletions())
        {
            var j = checker.Judge(item, lines);
            Assert.Equal(lines.Length, j.Verdicts.Count);
            if (j.DistanceToGoal is { } d) Assert.Equal(lines.Length, d.Count);
        }
        // The same texts as one completion split into lines, and with a null entry.
        var all = HostileCompletions().SelectMany(l => l).ToList();
        Assert.Equal(all.Count, checker.Judge(item, all).Verdicts.Count);
        Assert.Equal([StepVerdict.Neutral], checker.Judge(item, new string?[] { null }).Verdicts);
    }

    [Theory]
    [MemberData(nameof(CheckedTasks))]
    public void A_hundred_thousand_gold_like_lines_are_judged_in_one_pass(string task)
    {
        var item = RealItem(task);
        var gold = StepLines.Split(item.Solution);
        var lines = Enumerable.Range(0, 100_000).Select(i => gold[i % gold.Length]).ToArray();
        var j = StepCheckerRegistry.Default.Get(task).Judge(item, lines);
        Assert.Equal(lines.Length, j.Verdicts.Count);
        // The first copy is the gold trace, judged as on its own.
        Assert.Equal(StepTestItems.Judge(item, gold).Verdicts, j.Verdicts.Take(gold.Length));
    }
}
