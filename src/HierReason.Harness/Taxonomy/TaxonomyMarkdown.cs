using System.Globalization;
using System.Text;

namespace HierReason.Harness.Thinking;

/// <summary><c>taxonomy.md</c>: the rows' accuracies, the taxonomy rows' episodes and comparisons, and their thought-type distributions; <see cref="Table"/> is what <c>hierreason taxonomy-summary</c> prints.</summary>
public static class TaxonomyMarkdown
{
    public static string Render(TaxonomyReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Thought-type taxonomy (issue 23; run {report.RunId}, {report.Timestamp})").AppendLine();
        md.AppendLine("Accuracy in % with its 95 % Wilson interval. Δ: taxonomy minus vanilla on the items both scored, ± its paired standard error; " +
            "KL: the chooser's choices against the uniform chooser over K options, ln K − H(p̂) in nats.").AppendLine();
        md.Append(Table(report)).AppendLine();
        foreach (var row in report.TaxonomyRows)
        {
            var e = row.Episodes!;
            md.AppendLine($"## {row.Cell} × {row.Model} ({Options(row)})").AppendLine();
            md.AppendLine(Invariant($"{e.Episodes} episodes ({e.CorrectEpisodes} correct); K = {e.OptionCount} ({e.OptionCountSource}); explicit Finish {P(e.ExplicitFinishRate)} %, forced finish {P(e.ForcedFinishRate)} %, choices that named no option {P(e.ChoiceParseFailureRate)} %."));
            if (row.Against is { } a)
                md.AppendLine(Invariant($"Against {a.Model} ({a.Match}): {a.Items} items, Δ {a.Delta * 100:+0.0;-0.0;0.0} ± {a.StdErr * 100:0.0} points, only taxonomy / only vanilla {a.OnlyTaxonomy} / {a.OnlyVanilla}, McNemar p {a.PValue:0.###}."));
            md.AppendLine().AppendLine("| type | thoughts % | in correct % | in incorrect % | choices % |").AppendLine("|---|---:|---:|---:|---:|");
            for (var i = 0; i < e.Types.Count; i++)
                md.AppendLine(Invariant($"| {e.Types[i].Label} (`{e.Types[i].Id}`) | {P(e.Types[i].Share)} | {P(e.TypesCorrect[i].Share)} | {P(e.TypesIncorrect[i].Share)} | {P(e.Choices[i].Share)} |"));
            md.AppendLine(Invariant($"| {e.Choices[^1].Label} (`{e.Choices[^1].Id}`) | | | | {P(e.Choices[^1].Share)} |")).AppendLine();
        }
        if (report.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var note in report.Notes) md.AppendLine($"- {note}");
        }
        return md.ToString();
    }

    /// <summary>One line per row: accuracy and interval, and for a taxonomy row its episode figures and Δ against vanilla.</summary>
    public static string Table(TaxonomyReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("| task | model | strategy | options | n | accuracy % [95 % CI] | thoughts | Finish % | forced % | parse failed % | KL (K) | Δ vs vanilla ± se | beyond 2 se |");
        md.AppendLine("|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in report.Rows)
        {
            var e = r.Episodes;
            var against = r.Against is { } a ? Invariant($"{a.Delta * 100:+0.0;-0.0;0.0} ± {a.StdErr * 100:0.0} ({a.Model})") : "";
            md.AppendLine(Invariant($"| {r.Cell} | {r.Model} | {r.Strategy} | {(e is null ? "" : Options(r))} | {r.N} | {P(r.Accuracy)} [{P(r.CiLow)}, {P(r.CiHigh)}] | ") +
                (e is null ? "| | | | | | |" : Invariant($"{e.MeanThoughts:0.00} | {P(e.ExplicitFinishRate)} | {P(e.ForcedFinishRate)} | {P(e.ChoiceParseFailureRate)} | {e.KlToUniform:0.000} ({e.OptionCount}) | {against} | {(r.Against is { } c ? (c.BeyondTwoStdErr ? "yes" : "no") : "")} |")));
        }
        return md.ToString();
    }

    private static string Options(TaxonomyRow row) =>
        Invariant($"taxonomy {row.Taxonomy ?? "?"}, level {(row.TaxonomyLevel is { } l ? l.ToString(CultureInfo.InvariantCulture) : "?")}, reasoner {row.Reasoner ?? "?"}{(row.ReasonerModel is { } m ? " " + m : "")}");

    private static string P(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
