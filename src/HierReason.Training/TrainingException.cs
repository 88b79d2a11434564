namespace HierReason.Training;

/// <summary>A training error the user can fix (bad experiment, diverged run, unwritable checkpoint folder).</summary>
public sealed class TrainingException : HierReason.Core.HierReasonException
{
    public TrainingException(string message) : base(message) { }
    public TrainingException(string message, Exception inner) : base(message, inner) { }
}
