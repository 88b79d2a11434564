namespace HierReason.Core.Tasks.Gsm;

/// <summary>Every built-in word-problem template of <see cref="GsmSymbolicTask"/>, in a fixed order.</summary>
public static class GsmTemplates
{
    /// <summary>The templates; the order is part of the item stream, so new ones go at the end.</summary>
    public static IReadOnlyList<GsmTemplate> All { get; } =
    [
        new ShoppingChange(), new MultiItemTotal(), new Discount(), new TicketsChange(), new CoinsValue(),
        new HalfRemaining(), new SavingsWeeks(), new SavingsGoal(), new Wages(), new WeeklyPay(),
        new RateTime(), new SpeedDistance(), new SpeedTime(), new TankFill(), new PracticeHours(), new PagesLeft(),
        new ShareEqually(), new ShareAfterKeeping(), new ClassroomGroups(), new BoxesSold(), new RecipeScaled(),
        new AverageScore(), new PercentOf(), new PercentRemaining(),
        new AgesMultiple(), new AgesFuture(), new BusPassengers(), new GardenRows(), new PacksInBoxes(),
        new ShopInventory(), new MoreThan(),
    ];

    /// <summary>The template with this id, or null.</summary>
    public static GsmTemplate? Find(string id)
    {
        foreach (var t in All)
            if (t.Id == id) return t;
        return null;
    }
}
