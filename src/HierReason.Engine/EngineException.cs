namespace HierReason.Engine;

/// <summary>An error the user can fix (missing model files, bad tokenizer, unknown template); the CLI prints its message.</summary>
public sealed class EngineException(string message, Exception? inner = null) : Exception(message, inner);
