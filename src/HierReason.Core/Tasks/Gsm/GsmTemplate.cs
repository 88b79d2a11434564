namespace HierReason.Core.Tasks.Gsm;

/// <summary>
/// One grade-school word-problem template: it draws its names and numbers, writes the question and
/// records one arithmetic step per operation; the last step's result is the answer.
/// </summary>
public abstract class GsmTemplate
{
    /// <summary>The id configs use to select the template (snake_case).</summary>
    public abstract string Id { get; }

    /// <summary>How many arithmetic steps its solution takes (lines before the answer).</summary>
    public abstract int Steps { get; }

    /// <summary>Draws one instance into <paramref name="p"/> (which has just been reset).</summary>
    public abstract void Compose(GsmProblem p);

    /// <summary>The smallest multiple of <paramref name="step"/> strictly above <paramref name="value"/>.</summary>
    protected static long NextMultipleAbove(long value, long step) => (value / step + 1) * step;
}
