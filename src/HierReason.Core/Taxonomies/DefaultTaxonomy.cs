namespace HierReason.Core.Taxonomies;

/// <summary>PLACEHOLDER until the real default lands.</summary>
public static class DefaultTaxonomy
{
    public static Taxonomy Build() => throw new NotImplementedException();
}
