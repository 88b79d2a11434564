namespace HierReason.Engine.Generation;

/// <summary>What one piece of decoded text did: the text now safe to show, and whether a stop string completed.</summary>
/// <param name="Safe">New text that cannot be part of a stop string (ends before the stop string when stopped).</param>
/// <param name="Stopped">Whether a stop string has completed.</param>
public readonly record struct StopStep(string Safe, bool Stopped);
