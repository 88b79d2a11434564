namespace HierReason.Engine.Tokenizers;

/// <summary>One piece of text split around special tokens: either plain text or a special token's id.</summary>
public readonly record struct TextSegment(string? Text, int SpecialId)
{
    /// <summary>Whether this segment is a special token rather than plain text.</summary>
    public bool IsSpecial => Text is null;
}
