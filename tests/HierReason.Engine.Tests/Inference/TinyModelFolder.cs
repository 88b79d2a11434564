using HierReason.Engine.Inference;

namespace HierReason.Engine.Tests.Inference;

/// <summary>One embedded tiny model written to a scratch folder and loaded, shared by a test class.</summary>
public sealed class TinyModelFolder : IDisposable
{
    public const long Seed = 11;

    public TinyModelFolder()
    {
        LocalModel.InitTiny(Folder.Path, Seed);
        Model = LocalModel.Load(Folder.Path);
    }

    public TempDir Folder { get; } = new();

    public LocalModel Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        Folder.Dispose();
    }
}
