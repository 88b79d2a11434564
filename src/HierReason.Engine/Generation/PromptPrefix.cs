using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Engine.Generation;

/// <summary>
/// Distinct prompts run through a model once, for scoring the completions that continue them in any groups of rows:
/// each layer's keys and values (U, kvh, P, hd), the logits of each prompt's last position (U, 1, V) and the left-padding
/// mask (U, P). With gradients, <see cref="Detach"/> gives leaves that collect the gradient of every scoring reading
/// them, and <see cref="Backward"/> sends that sum through the prompts' forward once, however many micro-batches read it.
/// </summary>
public sealed class PromptPrefix : IDisposable
{
    private PromptPrefix(Tensor[] keys, Tensor[] values, Tensor lastLogits, Tensor mask)
    {
        Keys = keys;
        Values = values;
        LastLogits = lastLogits;
        Mask = mask;
    }

    public IReadOnlyList<Tensor> Keys { get; }        // per layer (U, kvh, P, hd)
    public IReadOnlyList<Tensor> Values { get; }      // per layer (U, kvh, P, hd)
    public Tensor LastLogits { get; }                 // (U, 1, V), the model's dtype
    public Tensor Mask { get; }                       // (U, P) int64, 1 = real token

    /// <summary>Prompts U.</summary>
    public long Count => Mask.shape[0];

    /// <summary>Padded prompt width P: every row attends to (and the forward computed) this many positions.</summary>
    public long Width => Mask.shape[1];

    /// <summary>
    /// Runs <paramref name="prompts"/> (with gradients unless called under no_grad); their common start once for all
    /// when <paramref name="sharePrefix"/> (<see cref="PromptPrefill"/>: the padding then sits between it and each row's rest).
    /// </summary>
    public static PromptPrefix Run(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int padTokenId, bool sharePrefix = true)
    {
        if (prompts.Count == 0) throw new ArgumentException("no prompts to prefill", nameof(prompts));
        if (prompts.Any(p => p.Count == 0)) throw new EngineException("scoring: every prompt needs at least one token");
        using var scope = NewDisposeScope();
        var (cache, last, mask) = PromptPrefill.Run(model, prompts, padTokenId, 0, sharePrefix);  // (U, 1, V), (U, P)
        using var _ = cache;
        var keys = new Tensor[cache.Layers];
        var values = new Tensor[cache.Layers];
        for (var layer = 0; layer < cache.Layers; layer++)
        {
            var (k, v) = cache.Filled(layer);
            // Views of the cache's buffers (exactly P wide here); the graph keeps what backward needs after the cache is gone.
            keys[layer] = k.alias().DetachFromDisposeScope();
            values[layer] = v.alias().DetachFromDisposeScope();
        }
        return new PromptPrefix(keys, values, last.DetachFromDisposeScope(), mask.DetachFromDisposeScope());
    }

    /// <summary>The same values as leaves that require gradients (and hold no graph); pass them back to <see cref="Backward"/>.</summary>
    public PromptPrefix Detach() => new(
        Keys.Select(Leaf).ToArray(), Values.Select(Leaf).ToArray(), Leaf(LastLogits), Mask.clone().DetachFromDisposeScope());

    /// <summary>Sends the gradients <paramref name="leaves"/> (from <see cref="Detach"/>) collected through this prefix's forward.</summary>
    public void Backward(PromptPrefix leaves)
    {
        var outputs = new List<Tensor>();
        var gradients = new List<Tensor>();
        void Add(Tensor output, Tensor leaf)
        {
            if (leaf.grad is { } g)
            {
                outputs.Add(output);
                gradients.Add(g);
            }
        }
        for (var layer = 0; layer < Keys.Count; layer++)
        {
            Add(Keys[layer], leaves.Keys[layer]);
            Add(Values[layer], leaves.Values[layer]);
        }
        Add(LastLogits, leaves.LastLogits);
        if (outputs.Count == 0) return;
        TorchSharp.torch.autograd.backward(outputs, gradients);
    }

    private static Tensor Leaf(Tensor t) => t.detach().requires_grad_(true).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var t in Keys.Concat(Values)) t.Dispose();
        LastLogits.Dispose();
        Mask.Dispose();
    }
}
