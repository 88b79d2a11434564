namespace HierReason.Engine.Tokenizers;

/// <summary>Decodes ids one at a time for streaming, holding back a character whose UTF-8 bytes are still arriving.</summary>
/// <remarks>Byte-level tokens can end mid-character, which decodes to U+FFFD; so each new id is decoded together with
/// the few ids before it, and text is only released once it no longer ends in U+FFFD.</remarks>
public sealed class IncrementalDecoder(ITokenizer tokenizer, bool skipSpecial = false)
{
    private readonly List<int> _ids = [];
    private int _prefixStart;
    private int _readStart;

    /// <summary>Adds one id and returns the text it completes (often empty mid-character).</summary>
    public string Push(int id)
    {
        _ids.Add(id);
        var prefix = Decode(_prefixStart, _readStart);
        var full = Decode(_prefixStart, _ids.Count);
        if (full.Length <= prefix.Length || full.EndsWith('\uFFFD'))
            return "";
        _prefixStart = _readStart;
        _readStart = _ids.Count;
        return full[prefix.Length..];
    }

    /// <summary>Returns whatever is still held back (a broken character comes out as U+FFFD).</summary>
    public string Flush()
    {
        var prefix = Decode(_prefixStart, _readStart);
        var full = Decode(_prefixStart, _ids.Count);
        _prefixStart = _readStart = _ids.Count;
        return full.Length > prefix.Length ? full[prefix.Length..] : "";
    }

    private string Decode(int from, int to) =>
        from >= to ? "" : tokenizer.Decode(_ids.GetRange(from, to - from), skipSpecial);
}
