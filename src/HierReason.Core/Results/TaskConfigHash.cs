using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HierReason.Core.Json;

namespace HierReason.Core.Results;

/// <summary>
/// The identity of a task's generated questions: SHA-256 (16 hex characters) of the task name, its resolved config and
/// level. Two results with the same hash, split and seed scored the same items; a different hash is a different question
/// set, which <c>verify</c> reports as a different configuration rather than comparing accuracies.
/// </summary>
public static class TaskConfigHash
{
    public static string Of(string task, JsonObject config, int? level)
    {
        var identity = new JsonObject { ["task"] = task, ["config"] = config.DeepClone(), ["level"] = level };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToJsonString(HierJson.Options))))[..16];
    }
}
