using System.Text;

namespace HierReason.Engine.Generation;

/// <summary>Watches decoded text as it streams in and stops at the first stop string, even one split across tokens.</summary>
/// <remarks>An Aho–Corasick automaton over the stop strings: each character costs amortised constant time, and the
/// current state's depth is exactly how much trailing text might still turn into a stop string, so it is held back.</remarks>
public sealed class StopStrings
{
    private readonly List<Dictionary<char, int>> _next = [[]];
    private readonly List<int> _depth = [0];
    private readonly List<int> _fail = [0];
    // Length of the longest stop string ending at this state (0 for none); the longest means the earliest start.
    private readonly List<int> _match = [0];
    private readonly List<string?> _matchText = [null];
    private readonly StringBuilder _text = new();
    private int _state;
    private int _emitted;

    /// <summary>Builds the matcher; empty stop strings are ignored.</summary>
    public StopStrings(IEnumerable<string> stops)
    {
        foreach (var stop in stops.Where(s => s.Length > 0))
            Add(stop);
        LinkFailures();
    }

    /// <summary>Whether a stop string has completed.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The stop string that ended the text, once stopped.</summary>
    public string? MatchedStop { get; private set; }

    /// <summary>All text so far; once stopped, the text before the stop string.</summary>
    public string Text => _text.ToString();

    /// <summary>Trailing text held back because it might begin a stop string.</summary>
    public string Pending => _text.ToString(_emitted, _text.Length - _emitted);

    /// <summary>Feeds newly decoded text; after a stop, feeding more is a bug.</summary>
    public StopStep Push(string delta)
    {
        if (Stopped)
            throw new InvalidOperationException("Text was pushed after a stop string completed.");
        foreach (var c in delta)
        {
            _text.Append(c);
            _state = Step(_state, c);
            if (_match[_state] > 0)
            {
                Stopped = true;
                MatchedStop = _matchText[_state];
                _text.Length -= _match[_state];
                return new StopStep(Release(_text.Length), true);
            }
        }

        return new StopStep(Release(_text.Length - _depth[_state]), false);
    }

    /// <summary>Releases the held-back text when generation ends without a stop string.</summary>
    public string Flush() => Release(_text.Length);

    /// <summary>The text cut before the first stop string it contains (the whole text when none occurs).</summary>
    public static string Truncate(string text, IEnumerable<string> stops)
    {
        var matcher = new StopStrings(stops);
        matcher.Push(text);
        return matcher.Text;
    }

    private string Release(int upTo)
    {
        var safe = _text.ToString(_emitted, upTo - _emitted);
        _emitted = upTo;
        return safe;
    }

    private int Step(int state, char c)
    {
        while (true)
        {
            if (_next[state].TryGetValue(c, out var next))
                return next;
            if (state == 0)
                return 0;
            state = _fail[state];
        }
    }

    private void Add(string stop)
    {
        var state = 0;
        foreach (var c in stop)
        {
            if (!_next[state].TryGetValue(c, out var next))
            {
                next = _next.Count;
                _next.Add([]);
                _depth.Add(_depth[state] + 1);
                _fail.Add(0);
                _match.Add(0);
                _matchText.Add(null);
                _next[state][c] = next;
            }

            state = next;
        }

        _match[state] = stop.Length;
        _matchText[state] = stop;
    }

    private void LinkFailures()
    {
        var queue = new Queue<int>(_next[0].Values);
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (c, child) in _next[state])
            {
                _fail[child] = state == 0 ? 0 : Step(_fail[state], c);
                if (_match[child] == 0)
                {
                    // A shorter stop string ending here (found through the failure link) still stops the text.
                    _match[child] = _match[_fail[child]];
                    _matchText[child] = _matchText[_fail[child]];
                }

                queue.Enqueue(child);
            }
        }
    }
}
