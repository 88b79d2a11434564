using HierReason.Engine.Generation;
using HierReason.Engine.Tokenizers;

namespace HierReason.Engine.Inference;

/// <summary>The text of one completion as its tokens arrive: decoded incrementally and watched for stop strings.</summary>
internal sealed class CompletionText(ITokenizer tokenizer, IReadOnlyList<string> stops)
{
    private readonly IncrementalDecoder _decoder = new(tokenizer);
    private readonly StopStrings _stops = new(stops);

    /// <summary>Whether a stop string has completed.</summary>
    public bool Stopped => _stops.Stopped;

    /// <summary>Adds one generated (non-EOS) token; true when it completed a stop string.</summary>
    public bool Push(int id)
    {
        if (_stops.Stopped) throw new InvalidOperationException("A token arrived after the completion stopped.");
        return _stops.Push(_decoder.Push(id)).Stopped;
    }

    /// <summary>The final text: everything decoded, cut before the first stop string.</summary>
    public string Finish()
    {
        if (!_stops.Stopped)
        {
            // A character still held back by the decoder can itself complete a stop string.
            _stops.Push(_decoder.Flush());
            _stops.Flush();
        }
        return _stops.Text;
    }
}
