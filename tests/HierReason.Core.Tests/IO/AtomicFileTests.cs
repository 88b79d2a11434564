using HierReason.Core.IO;

namespace HierReason.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Writing_creates_missing_folders_replaces_old_content_and_leaves_no_temp_file()
    {
        var root = Path.Combine(Path.GetTempPath(), "hierreason-atomic-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(root, "a", "b", "report.json");
            AtomicFile.WriteAllText(path, "old");
            AtomicFile.WriteAllText(path, "new");
            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal(["report.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_temp_name_carries_its_owner_pid_and_names_without_one_have_no_owner()
    {
        var temp = AtomicFile.TempPathFor("/runs/r/jobs/abc.v2.jsonl");

        Assert.StartsWith("/runs/r/jobs/.abc.v2.jsonl.", temp);
        Assert.Equal(Environment.ProcessId, AtomicFile.OwnerOf(temp));
        Assert.NotEqual(temp, AtomicFile.TempPathFor("/runs/r/jobs/abc.v2.jsonl"));
        Assert.Null(AtomicFile.OwnerOf("/runs/r/jobs/abc.jsonl.tmp")); // the fixed name of older versions
        Assert.Null(AtomicFile.OwnerOf("/runs/r/jobs/.abc.jsonl.12.short.tmp"));
    }
}
