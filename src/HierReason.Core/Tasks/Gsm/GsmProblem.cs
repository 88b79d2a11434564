using System.Text;

namespace HierReason.Core.Tasks.Gsm;

/// <summary>
/// One word problem being drawn by a <see cref="GsmTemplate"/>: the numbers and words shown in the
/// question, the question text, and the solution as one recorded arithmetic step per line.
/// </summary>
public sealed class GsmProblem
{
    private const int MaxValues = 16;
    private const int MaxWords = 8;
    private const int MaxSteps = 8;

    private readonly (string Name, long Value)[] _values = new (string, long)[MaxValues];
    private readonly (string Name, string Value)[] _words = new (string, string)[MaxWords];
    private readonly GsmStep[] _steps = new GsmStep[MaxSteps];
    private int _valueCount;
    private int _wordCount;
    private int _stepCount;

    public GsmProblem(TaskRng rng, int difficulty)
    {
        Rng = rng;
        Difficulty = difficulty;
        // Difficulty widens the ranges the templates draw from: 1 small, 2 moderate, 3 large.
        Scale = difficulty switch { 1 => 1, 2 => 3, _ => 10 };
    }

    public TaskRng Rng { get; }

    /// <summary>The configured difficulty, 1 to 3.</summary>
    public int Difficulty { get; }

    /// <summary>The factor that stretches the upper end of scaled ranges.</summary>
    public int Scale { get; }

    /// <summary>The question as it is being written.</summary>
    public StringBuilder Text { get; } = new(256);

    /// <summary>The answer's unit word ("dollars", "pages"), which the verifier accepts after the number.</summary>
    public string Unit { get; set; } = "";

    public int StepCount => _stepCount;

    /// <summary>The answer: the result of the last step.</summary>
    public long Answer => _stepCount > 0
        ? _steps[_stepCount - 1].Result
        : throw new InvalidOperationException("a template recorded no step");

    /// <summary>Forgets the previous draw, for the next candidate question.</summary>
    public void Reset()
    {
        _valueCount = 0;
        _wordCount = 0;
        _stepCount = 0;
        Text.Clear();
        Unit = "";
    }

    /// <summary>Draws a number shown in the question, uniformly in [lo, hi].</summary>
    public int Num(string name, int lo, int hi) => (int)Shown(name, Rng.Int(lo, hi));

    /// <summary>Draws a number shown in the question in [lo, hi × scale], so difficulty widens it.</summary>
    public int Scaled(string name, int lo, int hi) => Num(name, lo, Math.Max(lo, hi * Scale));

    /// <summary>Records a number the template computed and shows in the question.</summary>
    public long Shown(string name, long value)
    {
        if (value < 0) throw new InvalidOperationException($"{name} = {value}: a question shows no negative number");
        _values[_valueCount++] = (name, value);
        return value;
    }

    /// <summary>A person's name, different from every name already in this problem.</summary>
    public string Person(string key)
    {
        string name;
        do name = GsmWords.Names[Rng.Int(0, GsmWords.Names.Length - 1)];
        while (HasWord(name));
        _words[_wordCount++] = (key, name);
        return name;
    }

    /// <summary>A countable thing from <paramref name="pool"/>, different from things already drawn.</summary>
    public GsmThing Thing(string key, GsmThing[] pool)
    {
        GsmThing thing;
        do thing = pool[Rng.Int(0, pool.Length - 1)];
        while (HasWord(thing.Many));
        _words[_wordCount++] = (key, thing.Many);
        return thing;
    }

    /// <summary>A word from <paramref name="pool"/>, different from words already drawn.</summary>
    public string Word(string key, string[] pool)
    {
        string word;
        do word = pool[Rng.Int(0, pool.Length - 1)];
        while (HasWord(word));
        _words[_wordCount++] = (key, word);
        return word;
    }

    /// <summary>Records a word the template chose itself (a coin, a setting).</summary>
    public string Named(string key, string word)
    {
        _words[_wordCount++] = (key, word);
        return word;
    }

    /// <summary>
    /// Records one solution line "label: a op b = result" and returns the result. A step that would
    /// leave whole non-negative numbers is a template bug, so it throws.
    /// </summary>
    public long Step(string label, long a, char op, long b)
    {
        var result = op switch
        {
            '+' => a + b,
            '-' => a - b,
            '*' => a * b,
            '/' => b > 0 && a % b == 0 ? a / b : throw new InvalidOperationException($"{label}: {a} / {b} is not exact"),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "expected + - * /"),
        };
        if (result < 0 || a < 0 || b < 0) throw new InvalidOperationException($"{label}: {a} {op} {b} = {result} leaves the whole numbers");
        _steps[_stepCount++] = new GsmStep(label, a, op, b, result);
        return result;
    }

    /// <summary>The gold trace: one step per line, then the answer tag.</summary>
    public string Solution()
    {
        var sb = new StringBuilder(32 * (_stepCount + 1));
        for (var i = 0; i < _stepCount; i++)
        {
            var s = _steps[i];
            sb.Append(s.Label).Append(": ").Append(s.A).Append(' ').Append(s.Op).Append(' ').Append(s.B)
              .Append(" = ").Append(s.Result).Append('\n');
        }
        return sb.Append("<answer>").Append(Answer).Append("</answer>").ToString();
    }

    /// <summary>The shown numbers by name, in the order they were drawn.</summary>
    public Dictionary<string, long> Values()
    {
        var d = new Dictionary<string, long>(_valueCount, StringComparer.Ordinal);
        for (var i = 0; i < _valueCount; i++) d.Add(_values[i].Name, _values[i].Value);
        return d;
    }

    /// <summary>The names and things by key, in the order they were drawn.</summary>
    public Dictionary<string, string> Words()
    {
        var d = new Dictionary<string, string>(_wordCount, StringComparer.Ordinal);
        for (var i = 0; i < _wordCount; i++) d.Add(_words[i].Name, _words[i].Value);
        return d;
    }

    private bool HasWord(string word)
    {
        for (var i = 0; i < _wordCount; i++)
            if (ReferenceEquals(_words[i].Value, word) || _words[i].Value == word) return true;
        return false;
    }

    private readonly record struct GsmStep(string Label, long A, char Op, long B, long Result);
}
