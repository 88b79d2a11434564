using Spectre.Console;

namespace HierReason.Cli.Hosting;

/// <summary>Where a command writes: plain text and JSON to <see cref="Out"/>, tables through <see cref="Ansi"/>, problems to <see cref="Error"/>.</summary>
public sealed class CliConsole
{
    /// <summary>Table width when the output is not a terminal (files, pipes, tests).</summary>
    public const int RedirectedWidth = 120;

    public CliConsole(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) Ansi.Profile.Width = RedirectedWidth;
    }

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public IAnsiConsole Ansi { get; }
}
