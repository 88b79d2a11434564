using HierReason.Engine.Checkpoints;
using HierReason.Engine.Inference;
using static TorchSharp.torch;

namespace HierReason.Backends.Tests.Serving;

/// <summary>
/// An untrained tiny model whose greedy replies depend on the prompt and stay printable: weights scaled up so attention
/// carries the prompt (at init every reply is one repeated byte), and every token but printable ASCII given a zero logit.
/// </summary>
internal static class PrintableTinyModel
{
    public static void Init(string dir)
    {
        LocalModel.InitTiny(dir, seed: 5);
        using var model = LocalModel.Load(dir);
        using (no_grad())
        {
            foreach (var p in model.Model.parameters().Where(p => p.dim() > 1)) p.mul_(4);
            var embeddings = model.Model.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter; // tied: also the head
            embeddings[TensorIndex.Slice(0, 32)].zero_();
            embeddings[TensorIndex.Slice(127, null)].zero_();
        }
        CheckpointSaver.Save(model.Model, dir);
    }
}
