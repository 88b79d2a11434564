namespace HierReason.Core.Expressions;

/// <summary>A node of a parsed arithmetic expression: a literal, a negation or a binary operation.</summary>
public abstract record ExpressionNode;

/// <summary>A non-negative integer as written in the text.</summary>
public sealed record Literal(long Value) : ExpressionNode;

/// <summary>Unary minus applied to an operand.</summary>
public sealed record Negation(ExpressionNode Operand) : ExpressionNode;

/// <summary>One of <c>+ - * /</c> (the text's <c>× x ÷ −</c> are read as these) applied to two operands.</summary>
public sealed record BinaryOperation(char Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode;
