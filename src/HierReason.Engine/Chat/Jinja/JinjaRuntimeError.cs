namespace HierReason.Engine.Chat.Jinja;

/// <summary>A failure while rendering (a bad operand, <c>raise_exception</c>); the renderer adds the file and position.</summary>
internal sealed class JinjaRuntimeError(string message) : Exception(message);
