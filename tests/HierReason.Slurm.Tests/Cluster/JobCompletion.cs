using System.Globalization;
using System.Text.RegularExpressions;

namespace HierReason.Slurm.Tests.Cluster;

/// <summary>One line of SLURM's jobcomp/filetxt log: a finished job or array task with its state and exit code.</summary>
public sealed partial record JobCompletion(string Line, IReadOnlyDictionary<string, string> Fields)
{
    public string JobId => Fields["JobId"];
    public string State => Fields["JobState"];
    public string ExitCode => Fields["ExitCode"];
    public string? ArrayJobId => Fields.TryGetValue("ArrayJobId", out var v) && v.Length > 0 ? v : null;
    public int? ArrayTaskId => Fields.TryGetValue("ArrayTaskId", out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var i) ? i : null;
    public DateTime Start => DateTime.Parse(Fields["StartTime"], CultureInfo.InvariantCulture);
    public DateTime End => DateTime.Parse(Fields["EndTime"], CultureInfo.InvariantCulture);

    /// <summary>Parses <c>Key=value Key=value ...</c>; a value may hold spaces (WorkDir) up to the next <c> Key=</c>.</summary>
    public static JobCompletion Parse(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in FieldPattern().Matches(line)) fields[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        return new JobCompletion(line, fields);
    }

    [GeneratedRegex(@"(?:^|\s)([A-Za-z]+)=(.*?)(?=\s[A-Za-z]+=|\s*$)")]
    private static partial Regex FieldPattern();
}
