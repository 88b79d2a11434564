namespace HierReason.Training.Sft;

/// <summary>An SFT item whose prompt alone fills <c>max_seq_len</c>; <see cref="SftRun"/> turns it into an error naming the file that set the budget.</summary>
internal sealed class PromptTooLongException(string itemId, int promptLength, int maxSeqLen)
    : HierReason.Core.HierReasonException($"item {itemId}: its prompt alone is {promptLength} tokens, at least max_seq_len {maxSeqLen}; raise sft.max_seq_len")
{
    public string ItemId { get; } = itemId;
    public int PromptLength { get; } = promptLength;
}
