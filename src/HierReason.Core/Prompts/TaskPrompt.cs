namespace HierReason.Core.Prompts;

/// <summary>The universal instruction that precedes every question, and the prompt it makes.</summary>
public static class TaskPrompt
{
    /// <summary>Short on purpose: tiny models read it on every item.</summary>
    public const string Instruction =
        "Think step by step. When you have the final answer, format it as: <answer>your answer here</answer>";

    /// <summary>The instruction followed by the question: the user message of a chat, or a plain prompt.</summary>
    public static string For(string question) => Instruction + "\n\n" + question;
}
