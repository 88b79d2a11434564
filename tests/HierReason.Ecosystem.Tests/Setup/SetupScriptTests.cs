namespace HierReason.Ecosystem.Tests.Setup;

/// <summary>
/// build/setup.sh run for real, with its two test seams pointing at files in a temp folder: the os-release it reads and the
/// libstdc++ it checks. Only the planning, the dry run and the refusals run here (they change nothing); the apt steps
/// need the named distribution.
/// </summary>
public sealed class SetupScriptTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hr-setup-");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_temp.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<ProcessRun> Setup(string osRelease, bool hasSymbol, params string[] args) =>
        ProcessRun.Start("bash", [RepoPaths.Combine("build", "setup.sh"), .. args], _temp.FullName, new Dictionary<string, string?>
        {
            ["HIERREASON_OS_RELEASE"] = Write("os-release", osRelease),
            ["HIERREASON_LIBSTDCXX"] = Write("libstdc++.so.6", hasSymbol ? "\0GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0" : "\0GLIBCXX_3.4.30\0"),
            ["HIERREASON_SETUP_YES"] = null,
        });

    [Fact]
    public async Task A_libstdcxx_with_the_symbol_needs_nothing_on_any_system()
    {
        var run = await Setup("ID=ubuntu\nVERSION_ID=\"22.04\"\n", hasSymbol: true);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("provides GLIBCXX_3.4.32: nothing to do", run.Out);
    }

    [Fact]
    public async Task Check_reports_the_missing_symbol_and_the_library_it_read()
    {
        var run = await Setup("ID=debian\nVERSION_ID=\"12\"\n", hasSymbol: false, "--check");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("MISSING:", run.Out);
        Assert.Contains(Path.Combine(_temp.FullName, "libstdc++.so.6"), run.Out);
    }

    [Fact]
    public async Task On_ubuntu_22_04_the_plan_is_the_toolchain_ppa_and_a_dry_run_changes_nothing()
    {
        var run = await Setup("ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n", hasSymbol: false, "--dry-run");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("add-apt-repository -y ppa:ubuntu-toolchain-r/test", run.Out);
        Assert.Contains("glibc unchanged", run.Out);
        Assert.Contains("dry run: nothing was changed", run.Out);
        Assert.DoesNotContain("trixie", run.Out);
    }

    [Fact]
    public async Task On_debian_12_the_plan_names_the_files_the_pin_and_the_libc6_upgrade()
    {
        var run = await Setup("ID=debian\nVERSION_ID=\"12\"\n", hasSymbol: false, "--dry-run");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("/etc/apt/sources.list.d/hierreason-trixie.list", run.Out);
        Assert.Contains("Pin-Priority: 100", run.Out);
        Assert.Contains("libc6 (2.36 -> 2.41)", run.Out);
        Assert.Contains("base-files", run.Out);
        Assert.Contains("reports Debian 13", run.Out);
    }

    [Fact]
    public async Task An_unsupported_system_gets_the_ways_to_fix_it_and_exit_1()
    {
        var run = await Setup("ID=fedora\nVERSION_ID=\"40\"\n", hasSymbol: false);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("lacks GLIBCXX_3.4.32", run.Err);
        Assert.Contains("fedora 40", run.Err);
        Assert.Contains("Ubuntu >= 24.04 or Debian >= 13", run.Err);
    }

    [Fact]
    public async Task An_unknown_argument_is_exit_2()
    {
        var run = await Setup("ID=debian\nVERSION_ID=\"12\"\n", hasSymbol: false, "--force");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown argument '--force'", run.Err);
    }

    [Fact]
    public async Task From_a_terminal_it_asks_first_and_a_no_changes_nothing()
    {
        // util-linux's script gives the child a terminal, so the script asks.
        Write("os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n");
        Write("libstdc++.so.6", "\0GLIBCXX_3.4.30\0");
        var command = $"printf 'n\\n' | HIERREASON_OS_RELEASE=os-release HIERREASON_LIBSTDCXX=libstdc++.so.6 script -qec 'bash {RepoPaths.Combine("build", "setup.sh")}' /dev/null";
        var run = await ProcessRun.Start("bash", ["-c", command], _temp.FullName, new Dictionary<string, string?> { ["HIERREASON_SETUP_YES"] = null });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Add the apt source above and let apt compute what it would install? [y/N]", run.Out);
        Assert.Contains("declined: nothing was changed", run.Out);
        Assert.DoesNotContain("apt would install", run.Out);
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
