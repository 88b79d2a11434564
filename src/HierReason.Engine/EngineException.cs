namespace HierReason.Engine;

/// <summary>An error the user can cause and fix (bad config.json, corrupt or missing checkpoint, unknown device); bugs throw other exceptions.</summary>
public class EngineException : Exception
{
    public EngineException(string message) : base(message) { }
    public EngineException(string message, Exception inner) : base(message, inner) { }
}
