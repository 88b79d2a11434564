using System.Text;
using HierReason.Core.Configs;
using HierReason.Core.IO;
using HierReason.Core.Tasks;
using HierReason.Core.Tests.Configs;

namespace HierReason.Core.Tests.IO;

/// <summary>Every config file is read as a regular file of at most 16 MiB in strict UTF-8; anything else is an error naming it.</summary>
public sealed class ConfigFileTextTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_FIFO_as_tasks_json_is_refused_at_once_instead_of_blocking()
    {
        var fifo = Fifo.Create(Path.Combine(_dir.Root, "tasks.json"));

        var error = await Fifo.WithinLimit(fifo, () => TaskSetFile.Load(fifo), Limit);

        Assert.Equal($"{fifo}: expected a regular file; found a FIFO, device or socket", Assert.IsAssignableFrom<HierReasonException>(error).Message);
    }

    [Fact]
    public void A_tasks_json_linked_to_dev_zero_is_refused_without_reading_it()
    {
        var link = Path.Combine(_dir.Root, "tasks.json");
        File.CreateSymbolicLink(link, "/dev/zero");

        var error = Assert.ThrowsAny<HierReasonException>(() => TaskSetFile.Load(link));

        Assert.Equal($"{link}: expected a regular file; found a FIFO, device or socket", error.Message);
    }

    [Fact]
    public void A_task_config_that_is_a_folder_is_an_error_not_the_code_defaults()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir.TasksDirectory, "chain_sum.json")).FullName;

        var error = Assert.ThrowsAny<HierReasonException>(() => TaskConfigFile.ForTask(TaskRegistry.Default.Get("chain_sum"), _dir.TasksDirectory));

        Assert.Equal($"{folder}: expected a regular file; found a directory", error.Message);
    }

    [Fact]
    public async Task A_task_config_that_is_a_FIFO_is_refused_at_once()
    {
        var fifo = Fifo.Create(Path.Combine(_dir.TasksDirectory, "chain_sum.json"));

        var error = await Fifo.WithinLimit(fifo, () => TaskConfigFile.ForTask(TaskRegistry.Default.Get("chain_sum"), _dir.TasksDirectory), Limit);

        Assert.Contains("found a FIFO", Assert.IsAssignableFrom<HierReasonException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_over_16_MiB_is_refused_by_its_size()
    {
        var path = Path.Combine(_dir.Root, "tasks.json");
        // Valid JSON: a task set followed by 16 MiB of spaces.
        File.WriteAllText(path, """{ "tasks": [ { "task": "chain_sum" } ] }""" + new string(' ', 16 << 20));

        var error = Assert.ThrowsAny<HierReasonException>(() => TaskSetFile.Load(path));

        Assert.Equal($"{path}: expected a config file of at most 16777216 bytes (16 MiB); found {new FileInfo(path).Length} bytes", error.Message);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_naming_the_byte_offset_not_a_replacement_character()
    {
        var path = Path.Combine(_dir.TasksDirectory, "chain_sum.json");
        var prefix = Encoding.UTF8.GetBytes("""{ "task": "chain_sum", "prompt": "univ""");
        File.WriteAllBytes(path, [.. prefix, 0xC3, 0x28, .. Encoding.UTF8.GetBytes("""ersal" }""")]);

        var error = Assert.ThrowsAny<HierReasonException>(() => TaskConfigFile.Load(path));

        Assert.Equal($"{path}: not valid UTF-8: byte 0xC3 at byte offset {prefix.Length}", error.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var path = Path.Combine(_dir.TasksDirectory, "chain_sum.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{ "task": "chain_sum" }""")]);

        Assert.Equal("chain_sum", TaskConfigFile.Load(path).Task.Name);
    }

    [Fact]
    public void A_string_over_4096_characters_is_refused_with_its_json_path()
    {
        var path = _dir.Write("tasks.json", $$"""{ "tasks": [ { "task": "chain_sum", "split": "{{new string('x', 80_000)}}" } ] }""");

        var error = Assert.Throws<ConfigException>(() => TaskSetFile.Load(path));

        Assert.Equal($"{path}: $.tasks[0].split: expected a string of at most 4096 characters; found 80000 characters", error.Message);
    }

    [Theory]
    [InlineData("..", "names a folder itself")]
    [InlineData(".", "names a folder itself")]
    [InlineData("a/b", "'/'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("-rf", "starts with '-'")]
    [InlineData("x\u0001y", "U+0001")]
    [InlineData("x\0y", "U+0000")]
    [InlineData("", "empty")]
    public void Unsafe_path_segments_are_named_with_the_reason(string name, string reason)
    {
        Assert.Contains(reason, PathSegmentName.Problem(name), StringComparison.Ordinal);
    }

    [Fact]
    public void Safe_path_segments_up_to_128_characters_pass()
    {
        Assert.Null(PathSegmentName.Problem("tiny-sft_v2.1"));
        Assert.Null(PathSegmentName.Problem(new string('a', 128)));
        Assert.Contains("129 characters", PathSegmentName.Problem(new string('a', 129)), StringComparison.Ordinal);
    }
}
