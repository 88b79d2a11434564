using HierReason.Core.Episodes;

namespace HierReason.Training.Rewards;

/// <summary>
/// flat_search / thinker_searcher: −<see cref="CostPerSearch"/> per search the environment answered (stats
/// <c>searches</c>), so that between equally correct episodes the one that searched less earns more; its weight in the
/// task file sets the real price. 0 for episodes without searches.
/// </summary>
public sealed class SearchCostReward : IRewardFunction
{
    public const double CostPerSearch = 0.1;

    public string Name => "search_cost";

    public double Score(RewardContext ctx) => -CostPerSearch * ctx.Stats.GetValueOrDefault(SearchNotes.Searches);
}
