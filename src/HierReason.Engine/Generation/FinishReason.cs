namespace HierReason.Engine.Generation;

/// <summary>Why a completion ended: an EOS token or the caller's stop check (<see cref="Stop"/>), or the token budget (<see cref="Length"/>).</summary>
public enum FinishReason
{
    Stop,
    Length,
}
