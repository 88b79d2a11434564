namespace HierReason.Engine.Models;

/// <summary>
/// The largest sizes a config.json may declare. Far above any model this engine runs (Llama-3-405B: hidden 16,384,
/// 126 layers, 128 heads, 128,256 tokens, 131,072 positions), far below values that only a typo or a hostile file
/// writes (int.MaxValue positions allocated 23.6 GB of rotary tables before this limit).
/// </summary>
public static class ModelLimits
{
    public const int MaxVocabSize = 1 << 22;
    public const int MaxHiddenSize = 1 << 16;
    public const int MaxIntermediateSize = 1 << 18;
    public const int MaxLayers = 1024;
    public const int MaxHeads = 1024;
    public const int MaxHeadDim = 1024;
    public const int MaxPositionEmbeddings = 1 << 20;
    public const double MaxRopeTheta = 1e12;
    public const double MaxRopeFactor = 1024;
}
