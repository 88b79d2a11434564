namespace HierReason.Harness.Reporting;

/// <summary>What a user may change on a chart: the title, model display names, the image size.</summary>
public sealed record ChartOptions(string? Title = null, ModelRenames? Renames = null, int? Width = null, int? Height = null)
{
    public static ChartOptions Default { get; } = new();

    public ModelRenames Names => Renames ?? ModelRenames.None;
}
