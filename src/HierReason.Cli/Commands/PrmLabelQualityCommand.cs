using System.CommandLine;
using System.Globalization;
using HierReason.Cli.Hosting;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Training.Prm;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary>
/// <c>hierreason prm label-quality FILE</c>: MC step labels against the oracle step checkers as K grows
/// (<see cref="LabelQuality"/>), a table on stdout and the same numbers as JSON.
/// </summary>
public static class PrmLabelQualityCommand
{
    public static Command Build(IServiceProvider services)
    {
        var file = new Argument<string>("file") { Description = "A step-label JSONL file written by prm label." };
        var output = new Option<string?>("--output", "-o") { Description = "Where the JSON goes (default: <file>.quality.json)." }.WithOldSpellings("--out");
        var command = new Command("label-quality", "Label F1 and first-error localisation of MC step labels against the oracle, for k = 1, 2, 4, … ≤ K.") { file, output };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            Report(services.GetRequiredService<CliConsole>(), path, parse.GetValue(output) ?? DefaultOut(path));
            return 0;
        });
        return command;
    }

    public static string DefaultOut(string labels) => labels + ".quality.json";

    /// <summary>Reads <paramref name="path"/>, prints the table and writes the JSON to <paramref name="jsonOut"/>.</summary>
    public static void Report(CliConsole console, string path, string jsonOut)
    {
        var records = StepLabelFile.ReadRecords(path);
        var rows = LabelQuality.Of(records);
        AtomicFile.WriteAllText(jsonOut, LabelQuality.ToJson(path, records, rows).ToJsonString(HierJson.Indented) + "\n");
        var o = console.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {records.Count} trajectories of {records.Select(r => r.ItemId).Distinct().Count()} items, final answer correct {(records.Count == 0 ? 0 : (double)records.Count(r => r.FinalCorrect) / records.Count):0.###}"));
        if (rows.Count == 0)
        {
            o.WriteLine("no labelled step has an oracle verdict: no quality to report");
            return;
        }
        o.WriteLine("   k  steps  hard F1  hard P  hard R  soft F1  err traj  hard loc  soft loc  clean traj  hard clean");
        foreach (var r in rows)
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.K,4}  {r.Hard.Total,5}  {r.Hard.F1,7:0.000}  {r.Hard.Precision,6:0.000}  {r.Hard.Recall,6:0.000}  {r.Soft.F1,7:0.000}  {r.ErrorTrajectories,8}  {r.HardLocalisation,8:0.000}  {r.SoftLocalisation,8:0.000}  {r.CleanTrajectories,10}  {r.HardCleanAccuracy,10:0.000}"));
        o.WriteLine($"wrote {jsonOut}");
    }
}
