using System.Text.Json;
using System.Text.Json.Nodes;

namespace HierReason.Backends.Serving;

/// <summary>
/// Reads a request's <c>response_format</c>: absent or <c>{"type": "text"}</c> is free text; a json_schema whose schema
/// is an object with exactly one required string enum property is a <see cref="ChoiceConstraint"/>; anything else
/// (json_object, other schemas) is refused with a 400 saying what is supported.
/// </summary>
internal static class ChoiceFormat
{
    public const string Supported = "response_format: json_schema is supported only as an object with one string enum property (a constrained choice)";

    private const string Param = "response_format";

    public static ChoiceConstraint? Parse(JsonNode? format)
    {
        if (format is null) return null;
        if (format is not JsonObject o) throw Refuse("'response_format' must be an object");
        var type = o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : throw Refuse("'response_format.type' must be a string");
        switch (type)
        {
            case "text": return null;
            case "json_schema": break;
            default: throw Refuse($"type '{type}' is not supported");
        }
        if (o["json_schema"] is not JsonObject spec) throw Refuse("'response_format.json_schema' must be an object");
        if (spec["schema"] is not JsonObject schema) throw Refuse("'response_format.json_schema.schema' must be an object");
        if (schema["type"] is { } objectType && !IsString(objectType, "object")) throw Refuse("the schema's type must be 'object'");
        if (schema["properties"] is not JsonObject { Count: 1 } properties) throw Refuse("the schema must have exactly one property");
        var (field, property) = properties.Single();
        if (field.Length == 0) throw Refuse("the property needs a name");
        if (schema["required"] is not JsonArray required || !required.Any(r => r is not null && IsString(r, field)))
            throw Refuse($"the property '{field}' must be listed in 'required'");
        if (property is not JsonObject p) throw Refuse($"the property '{field}' must be a schema object");
        if (p["type"] is { } valueType && !IsString(valueType, "string")) throw Refuse($"the property '{field}' must have type 'string'");
        if (p["enum"] is not JsonArray values) throw Refuse($"the property '{field}' must have an 'enum' of strings");
        if (values.Count is 0 or > ChoiceConstraint.MaxValues) throw Refuse($"the enum must have 1 to {ChoiceConstraint.MaxValues} values (found {values.Count})");
        var strings = new List<string>();
        foreach (var value in values)
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) throw Refuse("every enum value must be a string");
            var text = v.GetValue<string>();
            if (text.Length == 0) throw Refuse("an enum value is empty");
            if (strings.Contains(text, StringComparer.Ordinal)) throw Refuse($"the enum lists '{text}' twice");
            strings.Add(text);
        }
        return new ChoiceConstraint(field, strings);
    }

    private static bool IsString(JsonNode node, string expected) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == expected;

    private static OpenAiError Refuse(string detail) => OpenAiError.BadRequest($"{Supported}; {detail}.", Param);
}
