namespace HierReason.Training.Grpo;

/// <summary>
/// DAPO's dynamic sampling: a group whose completions all earned the same reward has zero advantages and teaches
/// nothing, so only groups with non-zero reward variance are kept.
/// </summary>
public static class DynamicSampling
{
    /// <summary>Indices of the groups whose rewards are not all equal, in order.</summary>
    public static int[] InformativeGroups(IReadOnlyList<double> rewards, int groupSize) =>
        GroupAdvantages.GroupStds(rewards, groupSize)
            .Select((std, g) => (std, g))
            .Where(x => x.std > 0)
            .Select(x => x.g)
            .ToArray();

    /// <summary>The fraction of groups whose rewards are all equal (logged as <c>frac_reward_zero_std</c>).</summary>
    public static double ZeroVarianceFraction(IReadOnlyList<double> rewards, int groupSize)
    {
        var groups = GroupAdvantages.GroupCount(rewards, groupSize);
        return groups == 0 ? 0.0 : 1.0 - (double)InformativeGroups(rewards, groupSize).Length / groups;
    }

    /// <summary>The sample indices (into the group-major batch) of the kept groups.</summary>
    public static int[] SampleIndices(IReadOnlyList<int> groups, int groupSize) =>
        groups.SelectMany(g => Enumerable.Range(g * groupSize, groupSize)).ToArray();
}
