using System.Text.Json.Nodes;

namespace HierReason.Backends.Serving;

/// <summary>A request the server refuses, with the HTTP status and the OpenAI-style error body it answers with.</summary>
public sealed class OpenAiError(int status, string message, string? param = null, string? code = null, string type = "invalid_request_error")
    : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;

    /// <summary><c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    public JsonObject ToJson() => Body(Message, Type, Param, Code);

    public static JsonObject Body(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    };

    public static OpenAiError BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code);
}
