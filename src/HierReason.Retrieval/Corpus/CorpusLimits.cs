namespace HierReason.Retrieval.Corpus;

/// <summary>How large a corpus file the reader accepts; past a limit it stops with an error naming the file and line.</summary>
public sealed record CorpusLimits
{
    public long MaxFileBytes { get; init; } = 4L << 30;
    public int MaxLineBytes { get; init; } = 1 << 20;
    public int MaxDocuments { get; init; } = 5_000_000;
    public int MaxIdLength { get; init; } = 256;

    public static CorpusLimits Default { get; } = new();
}
