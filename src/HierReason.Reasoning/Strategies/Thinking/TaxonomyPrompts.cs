using System.Text;
using HierReason.Core.Answers;
using HierReason.Core.Taxonomies;

namespace HierReason.Reasoning.Strategies.Thinking;

/// <summary>
/// The text of a taxonomy episode (seed 000's prompts, cut to what a small model reads every step). The chooser reads
/// <see cref="Chooser"/> once, then after each of its choices the environment appends the thought as
/// <see cref="ThoughtSegment"/>; the reasoner gets one self-contained chat message per thought (<see cref="Thought"/>) and
/// for the answer (<see cref="Final"/>), as seed 000 builds each step's prompt anew.
/// </summary>
public static class TaxonomyPrompts
{
    /// <summary>What follows each thought in the chooser's context: the cue for its next choice.</summary>
    public const string NextCue = "\nNext type:";

    /// <summary>The chooser's prompt: how to choose, the options with their codes (and descriptions, where given), the problem.</summary>
    public static string Chooser(string question, IReadOnlyList<(string Code, string Label, string? Description)> options)
    {
        var text = new StringBuilder("Solve the problem one thought at a time. Before each thought, choose its type; a reasoner writes it. Reply with the letter of a type.\nTypes:\n");
        foreach (var (code, label, description) in options)
        {
            text.Append(code).Append(". ").Append(label);
            if (description is not null) text.Append(": ").Append(description);
            text.Append('\n');
        }
        return text.Append("\nProblem: ").Append(question).Append("\nFirst type:").ToString();
    }

    /// <summary>
    /// A thought as the chooser sees it after its choice: the label (when the chooser wrote a code; a text chooser wrote
    /// the label itself, <paramref name="label"/> null), the thought, the cue for the next choice.
    /// </summary>
    public static string ThoughtSegment(string? label, string thought) => $"{Echo(label)}\n{thought}{NextCue}";

    /// <summary>The final answer as the chooser's episode ends with it (after a forced finish, the label is always written).</summary>
    public static string FinalSegment(string? label, string answer) => $"{Echo(label)}\n{answer}";

    private static string Echo(string? label) => label is null ? "" : " " + label;

    /// <summary>The reasoner's request for one thought of <paramref name="type"/> (seed 000's LOW_LEVEL_THINKING_START / CONTINUATION).</summary>
    public static string Thought(string question, IReadOnlyList<Thought> history, ThoughtType type, IReadOnlyList<string> examples)
    {
        var text = Problem(question, history);
        text.Append("Write the next thought. Its type is \"").Append(type.Label).Append("\": ").Append(type.Description).Append('\n');
        if (examples.Count > 0)
        {
            text.Append("Examples of thoughts of this type:\n");
            foreach (var example in examples) text.Append("- ").Append(OneLine(example)).Append('\n');
        }
        return text.Append("Write a single thought of this type and stop after it. Do not answer yet.").ToString();
    }

    /// <summary>The reasoner's request for the answer (seed 000's LOW_LEVEL_THINKING_FINAL, with our answer tag).</summary>
    public static string Final(string question, IReadOnlyList<Thought> history) =>
        Problem(question, history).Append("Finish thinking and answer. Output only the final answer, enclosed in ")
            .Append(AnswerExtractor.Open).Append(AnswerExtractor.Close).Append('.').ToString();

    private static StringBuilder Problem(string question, IReadOnlyList<Thought> history)
    {
        var text = new StringBuilder("Problem: ").Append(question).Append("\n\n");
        if (history.Count > 0)
        {
            text.Append("Thoughts so far:\n");
            foreach (var t in history) text.Append(t.Label).Append(" thought: ").Append(OneLine(t.Text)).Append('\n');
            text.Append('\n');
        }
        return text;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
