namespace HierReason.Training.Runs;

/// <summary>What a run does with an output folder that already holds an earlier run's files (see <see cref="RunStart"/>).</summary>
public enum OutputMode
{
    /// <summary>Refuse it: a run starts only in a folder without run files.</summary>
    Fresh,

    /// <summary>Continue its newest checkpoint (trained under the same experiment); without a checkpoint, start as <see cref="Fresh"/> would.</summary>
    Resume,

    /// <summary>Delete its run files before the first write, then start from step 0.</summary>
    Overwrite,
}
