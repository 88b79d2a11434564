namespace HierReason.Cli.Tests;

/// <summary>The checkout these tests were built from: the folder above the test binaries that holds HierReason.sln.</summary>
internal static class Checkout
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HierReason.sln"))) return dir.FullName;
        throw new InvalidOperationException("HierReason.sln not found above " + AppContext.BaseDirectory);
    }
}
