namespace HierReason.Core.Steps;

/// <summary>What an oracle step checker says about one line of a completion.</summary>
public enum StepVerdict : byte
{
    /// <summary>Not a checkable step: blank, prose, a restatement, the answer (the verifier's job), or a step with no truth to compare to.</summary>
    Neutral,

    /// <summary>A step the generator's truth confirms.</summary>
    Correct,

    /// <summary>A step the generator's truth contradicts.</summary>
    Incorrect,
}
