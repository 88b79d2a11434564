using HierReason.Training.Checkpoints;

namespace HierReason.Training.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hr-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_failed_write_leaves_the_previous_checkpoint_intact_and_resume_picks_it()
    {
        var store = new CheckpointStore(_dir, keepLast: 2);
        store.Save(10, d => File.WriteAllText(Path.Combine(d, "weights"), "ten"));

        var e = Assert.Throws<TrainingException>(() => store.Save(20, d =>
        {
            File.WriteAllText(Path.Combine(d, "weights"), "half of twen");
            throw new IOException("disk full");
        }));

        Assert.Contains("disk full", e.Message);
        Assert.Equal(store.PathFor(10), store.Latest());
        Assert.Equal("ten", File.ReadAllText(Path.Combine(store.PathFor(10), "weights")));
        Assert.False(Directory.Exists(store.PathFor(20)));
        Assert.Empty(Directory.GetDirectories(_dir, "*.tmp"));
    }

    [Fact]
    public void A_leftover_temp_folder_is_never_taken_for_a_checkpoint()
    {
        var store = new CheckpointStore(_dir, keepLast: 2);
        store.Save(1, _ => { });
        Directory.CreateDirectory(store.PathFor(2) + ".tmp");
        Assert.Equal(store.PathFor(1), store.Latest());
    }

    [Fact]
    public void Only_the_newest_keep_last_checkpoints_remain()
    {
        var store = new CheckpointStore(_dir, keepLast: 2);
        foreach (var step in new[] { 5, 10, 15 }) store.Save(step, _ => { });
        Assert.Equal([10, 15], store.Complete().Select(c => c.Step));
    }
}
