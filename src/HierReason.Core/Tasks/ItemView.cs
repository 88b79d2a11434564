namespace HierReason.Core.Tasks;

/// <summary>
/// How a <see cref="MixtureEntry"/> turns its task's items into training items: whole, or (<see cref="Subproblems"/>) one
/// gold sub-problem of each item as an item of its own (<see cref="SubProblemView"/>), to train a planner's worker.
/// </summary>
public enum ItemView
{
    Whole,
    Subproblems,
}

/// <summary>The names experiments write for <see cref="ItemView"/>.</summary>
public static class ItemViews
{
    public const string WholeName = "whole";
    public const string SubproblemsName = "subproblems";

    public static bool TryParse(string name, out ItemView view)
    {
        view = name switch { WholeName => ItemView.Whole, SubproblemsName => ItemView.Subproblems, _ => (ItemView)(-1) };
        return Enum.IsDefined(view);
    }
}
