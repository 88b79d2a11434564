namespace HierReason.Training.Experiments;

/// <summary>Checkpoint every <see cref="Every"/> steps (0 = only at the end), keeping the newest <see cref="KeepLast"/>.</summary>
public sealed record CheckpointSection(int Every, int KeepLast);
