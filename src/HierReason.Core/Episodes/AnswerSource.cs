namespace HierReason.Core.Episodes;

/// <summary>Which text of an episode its answer is read from. Text written by other actors never counts unless the source says so.</summary>
public enum AnswerSource
{
    /// <summary>The policy's own last <c>&lt;answer&gt;</c>: an answer inside an environment segment (a retrieved document, a worker's reply) is ignored.</summary>
    Policy,

    /// <summary>The last <c>&lt;answer&gt;</c> the environment wrote (the frozen worker that the trained planner directs).</summary>
    Environment,

    /// <summary>The last <c>&lt;answer&gt;</c> anywhere after the prompt, whoever wrote it.</summary>
    Completion,
}

/// <summary>The config names of <see cref="AnswerSource"/>.</summary>
public static class AnswerSources
{
    public static IReadOnlyList<string> Names { get; } = ["policy", "environment", "completion"];

    public static string Name(AnswerSource source) => Names[(int)source];

    public static AnswerSource? Parse(string? name) => name switch
    {
        "policy" => AnswerSource.Policy,
        "environment" => AnswerSource.Environment,
        "completion" => AnswerSource.Completion,
        _ => null,
    };
}
