using HierReason.Core.Episodes;
using HierReason.Core.Prompts;

namespace HierReason.Reasoning.Strategies;

/// <summary>The calculator strategy: the task prompt plus how to call the tool, the <see cref="CalculatorEnvironment"/>, the policy's own answer.</summary>
public static class CalculatorStrategy
{
    public const string Name = "calculator";

    /// <summary>Added after the universal instruction, so a model knows the tool exists.</summary>
    public const string ToolHint = "You may use a calculator: write <calc>expression</calc> and its value appears as <result>value</result>.";

    public static EpisodeStrategy Create(int maxCalls) => new()
    {
        Name = Name,
        Prompt = item => TaskPrompt.Instruction + "\n" + ToolHint + "\n\n" + item.Question,
        Environment = new CalculatorEnvironment(maxCalls),
        Answers = AnswerSource.Policy,
    };
}
