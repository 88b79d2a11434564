namespace HierReason.Core.Expressions;

/// <summary>A successfully parsed and evaluated expression: its tree, exact value and integer literals in text order.</summary>
public sealed record ParsedExpression(ExpressionNode Root, Rational Value, IReadOnlyList<long> Literals);
