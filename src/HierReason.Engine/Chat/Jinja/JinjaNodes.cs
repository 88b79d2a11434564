namespace HierReason.Engine.Chat.Jinja;

/// <summary>A statement of a parsed template; <c>At</c> is its offset in the template text, for error messages.</summary>
internal abstract record JinjaNode(int At);

internal sealed record TextNode(int At, string Text) : JinjaNode(At);

internal sealed record OutputNode(int At, JinjaExpr Value) : JinjaNode(At);

internal sealed record IfNode(int At, IReadOnlyList<(JinjaExpr Test, IReadOnlyList<JinjaNode> Body)> Branches, IReadOnlyList<JinjaNode> Else) : JinjaNode(At);

internal sealed record ForNode(int At, IReadOnlyList<string> Targets, JinjaExpr Items, JinjaExpr? Filter, IReadOnlyList<JinjaNode> Body, IReadOnlyList<JinjaNode> Else) : JinjaNode(At);

/// <summary><c>{% set a = … %}</c>, <c>{% set a, b = … %}</c> or <c>{% set ns.attr = … %}</c> (then <c>Attribute</c> is set).</summary>
internal sealed record SetNode(int At, IReadOnlyList<string> Targets, string? Attribute, JinjaExpr Value) : JinjaNode(At);

internal sealed record MacroNode(int At, string Name, IReadOnlyList<(string Name, JinjaExpr? Default)> Parameters, IReadOnlyList<JinjaNode> Body) : JinjaNode(At);

internal sealed record LoopControlNode(int At, bool IsBreak) : JinjaNode(At);

/// <summary>An expression; <c>At</c> is its offset in the template text.</summary>
internal abstract record JinjaExpr(int At);

internal sealed record LiteralExpr(int At, object? Value) : JinjaExpr(At);

internal sealed record NameExpr(int At, string Name) : JinjaExpr(At);

internal sealed record ListExpr(int At, IReadOnlyList<JinjaExpr> Items) : JinjaExpr(At);

internal sealed record DictExpr(int At, IReadOnlyList<(JinjaExpr Key, JinjaExpr Value)> Items) : JinjaExpr(At);

internal sealed record AttributeExpr(int At, JinjaExpr Target, string Name) : JinjaExpr(At);

internal sealed record IndexExpr(int At, JinjaExpr Target, JinjaExpr Index) : JinjaExpr(At);

internal sealed record SliceExpr(int At, JinjaExpr Target, JinjaExpr? Start, JinjaExpr? Stop, JinjaExpr? Step) : JinjaExpr(At);

internal sealed record CallExpr(int At, JinjaExpr Target, IReadOnlyList<JinjaExpr> Args, IReadOnlyList<(string Name, JinjaExpr Value)> Kwargs) : JinjaExpr(At);

internal sealed record FilterExpr(int At, JinjaExpr Value, string Name, IReadOnlyList<JinjaExpr> Args, IReadOnlyList<(string Name, JinjaExpr Value)> Kwargs) : JinjaExpr(At);

internal sealed record TestExpr(int At, JinjaExpr Value, string Name, IReadOnlyList<JinjaExpr> Args, bool Negated) : JinjaExpr(At);

internal sealed record UnaryExpr(int At, string Op, JinjaExpr Operand) : JinjaExpr(At);

internal sealed record BinaryExpr(int At, string Op, JinjaExpr Left, JinjaExpr Right) : JinjaExpr(At);

internal sealed record ConditionalExpr(int At, JinjaExpr Test, JinjaExpr Then, JinjaExpr? Else) : JinjaExpr(At);
