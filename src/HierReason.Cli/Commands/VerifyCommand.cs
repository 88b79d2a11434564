using System.CommandLine;
using System.Text.Json;
using HierReason.Cli.Hosting;
using HierReason.Core;
using HierReason.Core.IO;
using HierReason.Core.Json;
using HierReason.Harness.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace HierReason.Cli.Commands;

/// <summary><c>hierreason verify</c>: checks a benchmark summary against the approved snapshot; exit 0 pass, 1 fail, 2 bad input.</summary>
public static class VerifyCommand
{
    public const int Failed = 1;
    public const string ReportFileName = "verification.json";

    public static Command Build(IServiceProvider services)
    {
        var input = new Argument<string>("results") { Description = "The results_all_tasks_<ts>.json to check, or a results folder (its newest results_all_tasks_<ts>.json is used)." };
        var approved = new Option<string>("--approved")
        {
            Description = $"The approved snapshot (reduced {{schema_version, rows: [{{task, model, accuracy, stderr, n}}]}} or a results_all_tasks file).",
            DefaultValueFactory = _ => ApprovedSnapshot.DefaultPath,
        };
        var points = new Option<double>("--tolerance-points")
        {
            Description = "Allowed drop in percentage points.",
            DefaultValueFactory = _ => VerificationTolerance.DefaultPoints,
        };
        var stderr = new Option<double>("--tolerance-stderr")
        {
            Description = "Allowed drop in multiples K of the combined standard error √(se_approved² + se_actual²).",
            DefaultValueFactory = _ => VerificationTolerance.DefaultStdErrs,
        };
        var accept = new Option<bool>("--accept") { Description = "Write the results as the new approved snapshot (creating folders) and exit 0." };
        var command = new Command("verify",
            "Compare a benchmark summary with the approved snapshot per task × model. Rule: " + VerificationTolerance.Rule +
            ", so noise on small samples does not fail but real regressions do. A missing row fails; a new row is a warning; a row of another configuration " +
            "(level, split, n, task-config or checkpoint hash) fails as config-mismatch without comparing accuracies. " +
            $"Writes {ReportFileName} next to the results. Exit 0 pass, 1 fail, 2 bad input.")
        {
            input, approved, points, stderr, accept,
        };
        command.SetAction(parse =>
        {
            var console = services.GetRequiredService<CliConsole>();
            var resultsPath = ResultsFile.ResolveSummaryPath(parse.GetValue(input)!);
            var approvedPath = parse.GetValue(approved)!;
            var tolerance = new VerificationTolerance(parse.GetValue(points), parse.GetValue(stderr)).Validated();
            // Publish compares this with the file it publishes, so a verdict never outlives its file. Hashed before reading:
            // a rewrite in between then makes the hashes differ, which publish refuses, instead of passing unnoticed.
            var resultsSha256 = File.Exists(resultsPath) ? Core.Results.VerificationReport.Sha256Of(resultsPath) : null;
            var summary = ResultsFile.LoadSummary(resultsPath);

            if (parse.GetValue(accept))
                return Accept(console, summary, resultsPath, approvedPath, tolerance);

            if (!File.Exists(approvedPath))
                throw new HierReasonException($"{approvedPath}: no approved snapshot there; create it with 'hierreason verify {resultsPath} --approved {approvedPath} --accept'");
            console.Out.WriteLine($"verifying {resultsPath} against {approvedPath}");
            var report = SnapshotVerifier.Verify(summary, ApprovedSnapshot.Load(approvedPath), tolerance, resultsPath, approvedPath, resultsSha256);
            console.Out.Write(VerificationTable.Format(report));
            var reportPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resultsPath)) ?? ".", ReportFileName);
            AtomicFile.WriteAllText(reportPath, JsonSerializer.Serialize(report, HierJson.Indented) + "\n");
            console.Out.WriteLine($"wrote {reportPath}");
            return report.Passed ? 0 : Failed;
        });
        return command;
    }

    private static int Accept(CliConsole console, Core.Results.BenchmarkSummary summary, string resultsPath, string approvedPath, VerificationTolerance tolerance)
    {
        if (File.Exists(approvedPath))
        {
            try
            {
                var previous = SnapshotVerifier.Verify(summary, ApprovedSnapshot.Load(approvedPath), tolerance, resultsPath, approvedPath);
                console.Out.WriteLine("Changes from the previous snapshot:");
                console.Out.Write(VerificationTable.Format(previous));
            }
            catch (ConfigException e)
            {
                // Accepting is how a broken snapshot gets replaced; say so and go on.
                console.Error.WriteLine($"warning: replacing an unreadable snapshot: {e.Message}");
            }
        }
        var snapshot = ApprovedSnapshot.From(summary);
        snapshot.Write(approvedPath);
        console.Out.WriteLine($"accepted: wrote {approvedPath} ({snapshot.Rows.Count} rows)");
        return 0;
    }
}
