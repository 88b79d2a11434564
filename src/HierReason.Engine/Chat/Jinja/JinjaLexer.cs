using System.Globalization;
using System.Text;

namespace HierReason.Engine.Chat.Jinja;

internal enum TokenKind { Name, String, Integer, Float, Operator, End }

internal sealed record JinjaToken(TokenKind Kind, string Text, object? Value, int At);

/// <summary>A run of template text, or a <c>{{ … }}</c> / <c>{% … %}</c> tag with its expression tokens.</summary>
internal sealed record JinjaPiece(bool IsText, bool IsOutput, string Text, IReadOnlyList<JinjaToken> Tokens, int At);

/// <summary>
/// Splits a template into text and tags with the whitespace rules transformers renders chat templates with:
/// <c>trim_blocks</c> (the newline after a block or comment tag goes), <c>lstrip_blocks</c> (spaces and tabs before a
/// block or comment tag at the start of a line go), <c>-</c> strips all whitespace on that side, <c>+</c> keeps it,
/// and one trailing newline of the template is dropped (<c>keep_trailing_newline=False</c>).
/// </summary>
internal sealed class JinjaLexer(string source, string text)
{
    private static readonly string[] Operators =
        ["==", "!=", "<=", ">=", "//", "**", "<", ">", "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "{", "}", "="];

    private int _pos;

    public List<JinjaPiece> Lex()
    {
        var pieces = new List<JinjaPiece>();
        var lineStarting = true;
        var end = text.EndsWith('\n') ? text.Length - 1 : text.Length;
        while (_pos < end)
        {
            var open = NextTag(_pos, end);
            var data = text[_pos..(open < 0 ? end : open)];
            var dataAt = _pos;
            if (open < 0)
            {
                pieces.Add(new JinjaPiece(true, false, data, [], dataAt));
                break;
            }

            var kind = text[open + 1];
            var sign = open + 2 < text.Length ? text[open + 2] : '\0';
            if (sign == '-')
                data = data.TrimEnd();
            else if (kind != '{' && sign != '+')
                data = LstripBlock(data, lineStarting);
            if (data.Length > 0)
                pieces.Add(new JinjaPiece(true, false, data, [], dataAt));

            _pos = open + 2 + (sign is '-' or '+' ? 1 : 0);
            bool stripAfter;
            if (kind == '#')
            {
                var close = text.IndexOf("#}", _pos, StringComparison.Ordinal);
                if (close < 0)
                    throw JinjaException.At(source, text, open, "comment '{#' is never closed with '#}'");
                stripAfter = close > _pos && text[close - 1] == '-';
                _pos = close + 2;
            }
            else
            {
                var tokens = Tokens(kind == '{' ? "}}" : "%}", open, out stripAfter);
                pieces.Add(new JinjaPiece(false, kind == '{', "", tokens, open));
            }

            var before = _pos;
            if (stripAfter)
            {
                while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                    _pos++;
            }
            else if (kind != '{' && text[_pos - 3] != '+')
            {
                if (_pos < text.Length && text[_pos] == '\n')
                    _pos++;
                else if (_pos + 1 < text.Length && text[_pos] == '\r' && text[_pos + 1] == '\n')
                    _pos += 2;
            }

            lineStarting = _pos > before ? text[_pos - 1] == '\n' : false;
        }

        return pieces;
    }

    private int NextTag(int from, int end)
    {
        for (var i = from; i + 1 < end; i++)
        {
            if (text[i] == '{' && text[i + 1] is '{' or '%' or '#')
                return i;
        }

        return -1;
    }

    /// <summary>lstrip_blocks: drops the spaces and tabs between the line start and the tag.</summary>
    private static string LstripBlock(string data, bool lineStarting)
    {
        var lineStart = data.LastIndexOf('\n') + 1;
        if (lineStart == 0 && !lineStarting)
            return data;
        for (var i = lineStart; i < data.Length; i++)
        {
            if (data[i] is not (' ' or '\t'))
                return data;
        }

        return data[..lineStart];
    }

    private List<JinjaToken> Tokens(string close, int open, out bool stripAfter)
    {
        var tokens = new List<JinjaToken>();
        var depth = 0;
        while (true)
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
            if (_pos >= text.Length)
                throw JinjaException.At(source, text, open, $"tag is never closed with '{close}'");
            var c = text[_pos];
            if (depth == 0)
            {
                if (string.CompareOrdinal(text, _pos, close, 0, 2) == 0)
                {
                    stripAfter = false;
                    _pos += 2;
                    tokens.Add(new JinjaToken(TokenKind.End, close, null, _pos - 2));
                    return tokens;
                }

                if (c is '-' or '+' && string.CompareOrdinal(text, _pos + 1, close, 0, 2) == 0)
                {
                    stripAfter = c == '-';
                    _pos += 3;
                    tokens.Add(new JinjaToken(TokenKind.End, close, null, _pos - 2));
                    return tokens;
                }
            }

            var at = _pos;
            if (char.IsLetter(c) || c == '_')
            {
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                    _pos++;
                tokens.Add(new JinjaToken(TokenKind.Name, text[at.._pos], null, at));
            }
            else if (char.IsAsciiDigit(c))
            {
                tokens.Add(Number(at));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new JinjaToken(TokenKind.String, "string", ReadString(c), at));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, _pos, o, 0, o.Length) == 0)
                    ?? throw JinjaException.At(source, text, at, $"unexpected character '{c}'");
                _pos += op.Length;
                if (op is "(" or "[" or "{")
                    depth++;
                else if (op is ")" or "]" or "}")
                    depth--;
                tokens.Add(new JinjaToken(TokenKind.Operator, op, null, at));
            }
        }
    }

    private JinjaToken Number(int at)
    {
        while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] == '_'))
            _pos++;
        var isFloat = false;
        if (_pos + 1 < text.Length && text[_pos] == '.' && char.IsAsciiDigit(text[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
                _pos++;
        }

        if (_pos < text.Length && text[_pos] is 'e' or 'E')
        {
            var exponent = _pos + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
                exponent++;
            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                isFloat = true;
                _pos = exponent;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
                    _pos++;
            }
        }

        var literal = text[at.._pos].Replace("_", "", StringComparison.Ordinal);
        return isFloat
            ? new JinjaToken(TokenKind.Float, literal, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture), at)
            : new JinjaToken(TokenKind.Integer, literal, long.Parse(literal, CultureInfo.InvariantCulture), at);
    }

    /// <summary>A quoted string with Python's escapes (<c>\n</c>, <c>\t</c>, <c>\\</c>, <c>\'</c>, <c>\uXXXX</c>, …); an unknown escape keeps its backslash.</summary>
    private string ReadString(char quote)
    {
        var start = _pos;
        _pos++;
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length)
                throw JinjaException.At(source, text, start, "string literal is never closed");
            var c = text[_pos++];
            if (c == quote)
                return value.ToString();
            if (c != '\\' || _pos >= text.Length)
            {
                value.Append(c);
                continue;
            }

            var e = text[_pos++];
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '0': value.Append('\0'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case '\\': value.Append('\\'); break;
                case '\'': value.Append('\''); break;
                case '"': value.Append('"'); break;
                case '\n': break;
                case 'x': value.Append(Hex(2, start)); break;
                case 'u': value.Append(Hex(4, start)); break;
                case 'U': value.Append(Hex(8, start)); break;
                default: value.Append('\\').Append(e); break;
            }
        }
    }

    private string Hex(int digits, int start)
    {
        if (_pos + digits > text.Length
            || !int.TryParse(text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            throw JinjaException.At(source, text, start, $"bad \\x/\\u escape in a string literal (expected {digits} hex digits)");
        _pos += digits;
        return char.ConvertFromUtf32(code);
    }
}
