namespace HierReason.Reasoning.Policies;

/// <summary>How a backend policy sends episodes: as chats the backend renders with its own template, or as text (plain, or rendered here with a named template).</summary>
public enum PromptMode
{
    /// <summary>Conversations: the prompt is the user turn, the policy's segments assistant turns, other actors' segments user turns.</summary>
    Chat,

    /// <summary>Raw text completion of the prompt and every segment so far, concatenated.</summary>
    Text,
}
