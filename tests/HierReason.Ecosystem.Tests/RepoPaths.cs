namespace HierReason.Ecosystem.Tests;

/// <summary>Locates the repository checkout the tests were built from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HierReason.sln"))) return dir.FullName;
        throw new InvalidOperationException("HierReason.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
