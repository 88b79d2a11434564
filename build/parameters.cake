// Command-line arguments of the pipeline, read once.
public static class Parameters
{
    public static string Target { get; private set; } = "Default";
    public static string Configuration { get; private set; } = "Release";
    public static string TorchBackend { get; private set; } = "cpu";
    public static string Gpus { get; private set; } = "";
    public static string Tasks { get; private set; } = "";
    public static string Models { get; private set; } = "";
    public static string TestFilter { get; private set; } = "";
    public static bool AllTests { get; private set; }
    public static DirectoryPath Artifacts { get; private set; } = "artifacts";

    public static void Read(ICakeContext context)
    {
        Target = context.Argument("target", "Default");
        Configuration = context.Argument("configuration", "Release");
        TorchBackend = context.Argument("torch-backend", "cpu").ToLowerInvariant();
        if (TorchBackend != "cpu" && TorchBackend != "cuda")
            throw new Exception($"--torch-backend: expected cpu or cuda, got '{TorchBackend}'");
        Gpus = context.Argument("gpus", "");
        Tasks = context.Argument("tasks", "");
        Models = context.Argument("models", "");
        TestFilter = context.Argument("test-filter", "");
        AllTests = context.HasArgument("all-tests");
    }

    /// <summary>MSBuild settings shared by every dotnet call: configuration and TorchSharp backend.</summary>
    public static DotNetMSBuildSettings MSBuild() => new DotNetMSBuildSettings()
        .WithProperty("TorchBackend", TorchBackend);
}

Parameters.Read(Context);
