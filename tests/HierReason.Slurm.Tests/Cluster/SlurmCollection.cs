namespace HierReason.Slurm.Tests.Cluster;

/// <summary>The SLURM tests share one cluster (daemons start once) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "slurm";
}

/// <summary>A fact that needs the real SLURM cluster; skipped, with the reason, only where it cannot run (not Linux, not root).</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.UnavailableReason() is { } reason) Skip = reason;
    }
}
