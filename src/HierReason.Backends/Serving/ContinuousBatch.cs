using HierReason.Engine.Generation;
using HierReason.Engine.Models;
using static TorchSharp.torch;

namespace HierReason.Backends.Serving;

/// <summary>
/// The running batch of continuous batching: one model and one sampler, rows that join and leave at token boundaries.
/// Row j of the batch is row j of a slot <see cref="KvCache"/>: a request that joins is prefilled on its own and its
/// rows are copied after the running ones (their prompts end at the cache's current column, the mask hides what lies
/// before); a row that ends (end token, stop string, its own budget, or its client gone) completes its request's choice
/// at once and the last row moves into its slot, so no step copies the whole cache. Each row keeps its own positions,
/// so it sees exactly the keys, values and positions it would see alone.
/// </summary>
internal sealed class ContinuousBatch(ServedModel model, GenerationRequest first) : IDisposable
{
    private readonly List<Slot> _slots = [];
    private readonly Dictionary<long, Pending> _requests = [];
    private readonly GenerationOptions _sampler = new()
    {
        MaxNewTokens = 1,
        Temperature = first.Temperature,
        TopP = first.TopP,
        TopK = first.TopK,
        NumSamples = 1,
        PadTokenId = model.Local.Tokenizer.PadId,
    };
    private readonly HashSet<int> _eos = model.Local.StopIds.ToHashSet();
    private KvCache? _cache;
    private Tensor? _mask;                                                                     // (slot rows, capacity) bool
    private Tensor? _nextLogits;                                                               // (rows, V) float32
    private bool _leftSinceCompact;                                                            // only leaving rows free columns

    public ServedModel Model => model;

    /// <summary>Requests that may join: the same model and sampler as the request that started the batch.</summary>
    public (string Model, bool Choice, bool ScoreOnly, double Temperature, double TopP, int TopK, long Alone) Key { get; } = first.BatchKey;

    /// <summary>Rows decoding now.</summary>
    public int Rows => _slots.Count;

    /// <summary>
    /// Whether a request is decoded in the continuous loop: one that samples text without a per-request seed and without
    /// a scoring pass. Seeded requests, choice and prompt-scoring requests and non-streamed log-probability requests
    /// run as their own one-shot batches (<see cref="BatchRun"/>).
    /// </summary>
    public static bool Accepts(GenerationRequest r, int maxBatch) =>
        r.Choice is null && !r.BatchKey.ScoreOnly && r.Seed is null && !(r.LogProbs && !r.Stream) && r.Rows <= maxBatch;

    /// <summary>Prefills <paramref name="requests"/> (same key as the batch) and adds their rows; their first tokens are sampled at the next step.</summary>
    public void Join(IReadOnlyList<GenerationRequest> requests)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var lm = model.Local.Model;
        var prompts = requests.SelectMany(r => r.Prompts).Select(p => (IReadOnlyList<int>)p).ToArray();
        // A shared prefix costs a second forward call: worth it only for a larger group of joiners.
        var (prefilled, logits, promptMask) = PromptPrefill.Run(lm, prompts, _sampler.PadTokenId, 1, sharePrefix: prompts.Length >= 8);   // (U, 1, V), (U, W)
        using var _ = prefilled;
        var rows = new List<long>();
        var at = 0;
        foreach (var request in requests)
        {
            _requests[request.Id] = new Pending(request);
            for (var p = 0; p < request.Prompts.Count; p++)
                for (var s = 0; s < request.N; s++)
                {
                    rows.Add(at + p);
                    _slots.Add(new Slot(new BatchRun.Row(request, p * request.N + s, request.Prompts[p], model.Local.Tokenizer), request.Prompts[p].Length));
                }
            at += request.Prompts.Count;
        }
        var index = tensor(rows.ToArray(), dtype: ScalarType.Int64, device: lm.Device);
        var before = _cache?.BatchSize ?? 0;
        if (_cache is null)
        {
            _cache = KvCache.Slots(lm.Config, Math.Max(rows.Count, 8), prefilled.Length + 64, lm.Device, lm.DType);
            _mask = zeros(_cache.SlotRows, _cache.Capacity, dtype: ScalarType.Bool, device: lm.Device).DetachFromDisposeScope();
        }
        var oldLength = _cache.Length;
        _cache.AddRows(prefilled, index);
        FitMask();
        var width = prefilled.Length;
        var m = _mask!;
        if (_cache.Length > oldLength && before > 0) m.narrow(0, 0, before).narrow(1, oldLength, _cache.Length - oldLength).fill_(false);
        var added = m.narrow(0, before, rows.Count);
        added.fill_(false);
        added.narrow(1, _cache.Length - width, width).copy_(promptMask.to(ScalarType.Bool).index_select(0, index));
        for (var j = (int)before; j < _slots.Count; j++) _slots[j].Start = _cache.Length - width;
        var joined = logits.squeeze(1).to(ScalarType.Float32).index_select(0, index);         // (k, V)
        var next = _nextLogits is null || before == 0 ? joined : cat([_nextLogits, joined], dim: 0);
        _nextLogits?.Dispose();
        _nextLogits = next.DetachFromDisposeScope();
    }

    /// <summary>
    /// One token for every row: samples, feeds each row's stream, completes the rows that ended (and requests whose rows
    /// all ended), drops cancelled rows, then runs the forward step for the rows left.
    /// </summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var lm = model.Local.Model;
        var (sampled, _) = TokenSampler.Sample(_nextLogits!, _sampler, null);
        var ids = sampled.cpu().data<long>().ToArray();
        var leaving = new List<int>();
        for (var j = 0; j < _slots.Count; j++)
        {
            var slot = _slots[j];
            var request = slot.Row.Request;
            if (request.Aborted.IsCancellationRequested || _requests[request.Id].Ended)
            {
                leaving.Add(j);
                continue;
            }
            var id = (int)ids[j];
            slot.Tokens.Add(id);
            if (_eos.Contains(id) || slot.Row.Push(id)) leaving.Add(j);
        }
        Leave(leaving);
        if (_slots.Count == 0)
        {
            _nextLogits?.Dispose();
            _nextLogits = null;
            return;
        }
        // Leave moved rows from the end into the freed slots: slots, cache rows and mask rows still line up.
        var input = tensor(SlotTokens(), [_slots.Count, 1], dtype: ScalarType.Int64, device: lm.Device);                       // (M, 1)
        var positions = tensor(_slots.Select(s => (long)s.Position).ToArray(), [_slots.Count, 1], dtype: ScalarType.Int64, device: lm.Device);  // (M, 1)
        Compact();
        MakeRoom();
        var length = _cache!.Length;
        var m = _mask!.narrow(0, 0, _slots.Count);
        m.narrow(1, length, 1).fill_(true);
        var logits = lm.Forward(input, positions, _cache, m.narrow(1, 0, length + 1), lastPositionOnly: true);   // (M, 1, V)
        _nextLogits!.Dispose();
        _nextLogits = logits.squeeze(1).to(ScalarType.Float32).DetachFromDisposeScope();
        foreach (var slot in _slots) slot.Position++;
    }

    /// <summary>Fails every request still in the batch (an engine error mid-step) and empties it.</summary>
    public void FailAll(Action<GenerationRequest> fail)
    {
        foreach (var pending in _requests.Values) fail(pending.Request);
        _requests.Clear();
        _slots.Clear();
        _cache?.Dispose();
        _cache = null;
        _mask?.Dispose();
        _mask = null;
        _nextLogits?.Dispose();
        _nextLogits = null;
    }

    private long[] SlotTokens() => _slots.Select(s => (long)s.Tokens[^1]).ToArray();

    /// <summary>
    /// The rows at <paramref name="leaving"/> (ascending) leave: their choices complete now (their requests too, when
    /// they were the last rows); rows from the end of the batch move into the slots they free.
    /// </summary>
    private void Leave(List<int> leaving)
    {
        if (leaving.Count == 0) return;
        _leftSinceCompact = true;
        foreach (var j in leaving) Finish(_slots[j]);
        var remaining = _slots.Count - leaving.Count;
        var gone = leaving.ToHashSet();
        var holes = leaving.Where(j => j < remaining).ToArray();
        var movers = Enumerable.Range(remaining, _slots.Count - remaining).Where(j => !gone.Contains(j)).ToArray();
        _cache!.RemoveRows(holes.Select(j => (long)j).ToArray(), movers.Select(j => (long)j).ToArray(), remaining);
        if (holes.Length > 0)
        {
            using var scope = NewDisposeScope();
            var to = tensor(holes.Select(j => (long)j).ToArray(), dtype: ScalarType.Int64, device: _mask!.device);
            var from = tensor(movers.Select(j => (long)j).ToArray(), dtype: ScalarType.Int64, device: _mask.device);
            _mask.index_copy_(0, to, _mask.index_select(0, from));
            for (var i = 0; i < holes.Length; i++) _slots[holes[i]] = _slots[movers[i]];
        }
        _slots.RemoveRange(remaining, _slots.Count - remaining);
    }

    private void Finish(Slot slot)
    {
        var request = slot.Row.Request;
        var pending = _requests[request.Id];
        if (request.Aborted.IsCancellationRequested && !pending.Ended)
        {
            pending.Ended = true;
            request.Deltas?.Writer.TryComplete();
            request.Done.TrySetCanceled(request.Aborted);
        }
        if (!pending.Ended)
        {
            pending.Results[slot.Row.Index] = slot.Row.Finish(slot.Tokens.ToArray());
            if (--pending.RowsLeft == 0)
            {
                pending.Ended = true;
                request.Deltas?.Writer.TryComplete();
                request.Done.TrySetResult(pending.Results);
            }
        }
        if (--pending.SlotsLeft == 0) _requests.Remove(request.Id);
    }

    /// <summary>Before a step: room for one more column, made by dropping the padding no row needs when that frees enough, else by growing.</summary>
    private void MakeRoom()
    {
        var cache = _cache!;
        if (cache.Length + 1 > cache.Capacity)
        {
            // Otherwise the cache's next append doubles its capacity.
            var start = _slots.Min(s => s.Start);
            if (start > 0 && start >= cache.Length / 4)
            {
                cache.DropColumns(start);
                var m = _mask!.narrow(0, 0, _slots.Count);
                var rest = m.narrow(1, start, m.shape[1] - start).clone();
                m.fill_(false);
                m.narrow(1, 0, rest.shape[1]).copy_(rest);
                foreach (var s in _slots) s.Start -= start;
            }
        }
        if (cache.Length + 1 > _mask!.shape[1]) GrowMask(Math.Max(cache.Length + 1, _mask.shape[1] * 2), _mask.shape[0]);
    }

    /// <summary>
    /// Rows' contexts all end at the cache's last column, so a step attends from the oldest running row's first column
    /// on; columns before it (and any other column no running row attends to) are left by rows that have gone. Once
    /// they are a quarter of the cache's length they are dropped from the cache and the mask, instead of waiting for the
    /// cache to fill (<see cref="MakeRoom"/>). Measured with `perf serve --max-new-tokens 64` at 32 clients: steps
    /// attended over 126 columns on average (rows' own contexts average about 62, the longest about 94) before this.
    /// </summary>
    private void Compact()
    {
        var cache = _cache!;
        var length = cache.Length;
        // Joins and steps add columns some row attends to, so the share of dead columns only grows when rows leave.
        if (!_leftSinceCompact || length < 32) return;
        _leftSinceCompact = false;
        using var scope = NewDisposeScope();
        var m = _mask!.narrow(0, 0, _slots.Count).narrow(1, 0, length);
        var alive = m.any(0);                                                                  // (length)
        var kept = alive.sum().item<long>();
        if (kept * 4 > length * 3) return;
        var columns = alive.nonzero().squeeze(1);                                              // (kept)
        cache.KeepColumns(columns);
        var moved = m.index_select(1, columns);
        _mask.narrow(1, 0, length).fill_(false);
        _mask.narrow(0, 0, _slots.Count).narrow(1, 0, kept).copy_(moved);
        // Each row's first attended column, for MakeRoom's prefix drop.
        var starts = moved.to(ScalarType.Int32).argmax(1).data<long>().ToArray();
        for (var j = 0; j < _slots.Count; j++) _slots[j].Start = starts[j];
    }

    /// <summary>Keeps the mask as large as the cache (rows and columns).</summary>
    private void FitMask()
    {
        var cache = _cache!;
        if (cache.SlotRows > _mask!.shape[0] || cache.Capacity > _mask.shape[1])
            GrowMask(Math.Max(cache.Capacity, _mask.shape[1]), Math.Max(cache.SlotRows, _mask.shape[0]));
    }

    private void GrowMask(long columns, long rows)
    {
        var bigger = zeros(rows, columns, dtype: ScalarType.Bool, device: _mask!.device);
        bigger.narrow(0, 0, _mask.shape[0]).narrow(1, 0, _mask.shape[1]).copy_(_mask);
        _mask.Dispose();
        _mask = bigger.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        _cache?.Dispose();
        _mask?.Dispose();
        _nextLogits?.Dispose();
    }

    private sealed class Slot(BatchRun.Row row, int position)
    {
        public BatchRun.Row Row { get; } = row;
        public List<int> Tokens { get; } = [];
        /// <summary>The rotary position of the row's next input token (its prompt and tokens so far).</summary>
        public int Position { get; set; } = position;
        /// <summary>The cache column where the row's prompt begins.</summary>
        public long Start { get; set; }
    }

    private sealed class Pending(GenerationRequest request)
    {
        public GenerationRequest Request { get; } = request;
        public ChoiceResult[] Results { get; } = new ChoiceResult[request.Rows];
        public int RowsLeft { get; set; } = request.Rows;
        public int SlotsLeft { get; set; } = request.Rows;
        public bool Ended { get; set; }
    }
}
