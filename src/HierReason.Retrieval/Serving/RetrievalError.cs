using System.Text.Json.Nodes;

namespace HierReason.Retrieval.Serving;

/// <summary>A request the retrieval server refuses: the HTTP status and the error body, <c>{"error": {"message", "type", "param", "code"}}</c> (the shape <c>serve</c> answers with).</summary>
public sealed class RetrievalError(int status, string message, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    public JsonObject ToJson() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = Status >= 500 ? "server_error" : "invalid_request_error",
            ["param"] = Param,
            ["code"] = Code,
        },
    };

    public static RetrievalError BadRequest(string message, string? param, string code = "invalid_value") => new(400, message, param, code);
}
