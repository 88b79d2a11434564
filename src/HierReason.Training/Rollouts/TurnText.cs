using System.Text;
using HierReason.Engine.Generation;
using HierReason.Engine.Tokenizers;

namespace HierReason.Training.Rollouts;

/// <summary>
/// The text of one policy turn as its tokens arrive: decoded incrementally, watched for the turn's end-after strings
/// (kept) and the user's stop strings (cut). Says which ended the turn.
/// </summary>
internal sealed class TurnText(ITokenizer tokenizer, IReadOnlyList<string> endAfter, IReadOnlyList<string> stops)
{
    private readonly IncrementalDecoder _decoder = new(tokenizer);
    private readonly StopStrings _stops = new(stops);
    private readonly StringBuilder _text = new();
    private readonly int _longestEndAfter = endAfter.Count == 0 ? 0 : endAfter.Max(s => s.Length);

    public bool EndedAfter { get; private set; }

    public bool Stopped => _stops.Stopped;

    /// <summary>Adds one generated (non end-of-sequence) token; true when the turn should end here.</summary>
    public bool Push(int id)
    {
        if (EndedAfter || Stopped) return true;
        var delta = _decoder.Push(id);
        if (delta.Length == 0) return false;
        var from = Math.Max(0, _text.Length - _longestEndAfter + 1);
        _text.Append(delta);
        if (_stops.Push(delta).Stopped) return true;
        if (_longestEndAfter > 0)
        {
            var window = _text.ToString(from, _text.Length - from);
            EndedAfter = endAfter.Any(s => window.Contains(s, StringComparison.Ordinal));
        }
        return EndedAfter;
    }

    /// <summary>The turn's text: everything decoded, or cut before the stop string that ended it.</summary>
    public string Finish()
    {
        if (Stopped) return _stops.Text;
        _text.Append(_decoder.Flush());
        return _text.ToString();
    }
}
