namespace HierReason.Harness.Slurm;

/// <summary>Quotes words for bash and values for <c>#SBATCH</c> lines, so paths with spaces or quotes stay one word.</summary>
public static class ShellQuote
{
    /// <summary>One bash word: left bare when it holds only safe characters, else single-quoted ('it'\''s').</summary>
    public static string Word(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value.All(IsSafe)) return value;
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The words joined by spaces, each quoted.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Word));

    /// <summary>
    /// A value for an <c>#SBATCH --opt=value</c> line. sbatch does not run a shell over these lines; it
    /// understands double quotes only, so a value with a double quote or a line break cannot be written.
    /// </summary>
    public static string SbatchValue(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('"') || value.Contains('\n') || value.Contains('\r'))
            throw new HierReason.Core.HierReasonException($"{what}: a path or value on an #SBATCH line cannot hold a double quote or a line break; found {value}");
        return value.Length > 0 && value.All(IsSafe) ? value : "\"" + value + "\"";
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',' or '@' or '%';
}
