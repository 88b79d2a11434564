using HierReason.Core;
using HierReason.Core.Results;
using HierReason.Engine.Inference;
using HierReason.Engine.Models;

namespace HierReason.Backends;

/// <summary>The one place a <see cref="ModelSpec"/> becomes a backend: the local engine, or an OpenAI-compatible client.</summary>
public static class BackendFactory
{
    public static IModelBackend Create(ModelSpec model, string device)
    {
        switch (model.Backend)
        {
            case "local":
                if (model.Path is null || !Directory.Exists(model.Path))
                    throw new HierReasonException($"model folder missing: {model.Path ?? "(no path)"}" +
                        (model.Train is { } train ? $": run `hierreason train {train}` (or the TrainDefault target)" : ""));
                if (model.Adapter is not null)
                    throw new HierReasonException($"{model.Name}: LoRA adapters are not supported by the local evaluation backend yet ({model.Adapter})");
                var spec = DeviceSpec.Parse(EngineDevice(device), model.Dtype);
                return new LocalModelBackend(model.Name, LocalModel.Load(model.Path, spec));
            case "openai":
                // Preflight (key set, endpoint reachable, model served) fails the model's jobs before any generation.
                return OpenAi.OpenAiBackend.CreateAsync(new OpenAi.OpenAiBackendOptions
                {
                    Name = model.Name,
                    BaseUrl = model.BaseUrl ?? throw new HierReasonException($"{model.Name}: an openai model needs base_url"),
                    Model = model.RemoteModel ?? model.Name,
                    ApiKeyEnv = model.ApiKeyEnv,
                    MaxConcurrency = Math.Max(model.MaxConcurrency, 1),
                    Request = model.OpenAi ?? new OpenAiRequestSettings(),
                }).GetAwaiter().GetResult();
            default:
                throw new HierReasonException($"{model.Name}: unknown backend '{model.Backend}'");
        }
    }

    /// <summary>
    /// The engine's device for a scheduler device: "cpu:k" is the CPU; a GPU worker is pinned with CUDA_VISIBLE_DEVICES,
    /// so its only visible GPU is cuda:0.
    /// </summary>
    public static string EngineDevice(string device)
    {
        if (device.Length == 0 || device.StartsWith("cpu", StringComparison.Ordinal)) return "cpu";
        if (device.StartsWith("cuda", StringComparison.Ordinal) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")))
            return "cuda:0";
        return device;
    }
}
