using System.Diagnostics;
using HierReason.Core.Perf;

namespace HierReason.Cli.Tests.Perf;

/// <summary>
/// build/perf/reasoning_gym_anchor.py run for real with python3, on a stand-in checkout of reasoning-gym (its real
/// package cannot be installed here: no PyPI): the stand-in has the files the script loads — factory.py's registry,
/// the coaching attributes and curriculum base, utils, data — and one dataset with reasoning-gym's interface
/// (<c>dataset[i]</c>, <c>score_answer</c>). The script's JSON must be what <c>perf tasks --anchor</c> reads.
/// </summary>
public sealed class ReasoningGymAnchorScriptTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("hr-rg-anchor-");

    private void File_(string relative, string text)
    {
        var path = Path.Combine(_temp.FullName, "rg", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string StandInCheckout()
    {
        File_("reasoning_gym/__init__.py", "raise ImportError('the package __init__ imports every family: the script must not run it')\n");
        File_("reasoning_gym/utils.py", "class StrEnum(str):\n    pass\n");
        File_("reasoning_gym/data/__init__.py", "def read_data_file(name):\n    return ''\n");
        File_("reasoning_gym/coaching/__init__.py", "raise ImportError('needs yaml')\n");
        File_("reasoning_gym/coaching/attributes.py",
            "class AttributeDefinition: pass\nclass RangeAttributeDefinition(AttributeDefinition): pass\nclass ScalarAttributeDefinition(AttributeDefinition): pass\n");
        File_("reasoning_gym/coaching/base_curriculum.py", "from ..utils import StrEnum\nclass BaseCurriculum: pass\n");
        File_("reasoning_gym/factory.py", "DATASETS = {}\ndef register_dataset(name, dataset_cls, config_cls, curriculum_cls=None):\n    DATASETS[name] = (dataset_cls, config_cls)\n");
        File_("reasoning_gym/arithmetic/__init__.py", "raise ImportError('needs sympy')\n");
        File_("reasoning_gym/arithmetic/chain_sum.py", """
            from dataclasses import dataclass
            from random import Random
            from typing import Optional
            from ..coaching import BaseCurriculum, RangeAttributeDefinition
            from ..factory import register_dataset

            @dataclass
            class ChainSumConfig:
                seed: Optional[int] = None
                size: int = 500

            class ChainSumDataset:
                def __init__(self, config):
                    self.config = config
                def __getitem__(self, idx):
                    rng = Random(self.config.seed + idx)
                    a, b = rng.randint(0, 99), rng.randint(0, 99)
                    return {"question": f"{a} + {b} =", "answer": str(a + b), "metadata": {}}
                def score_answer(self, answer, entry):
                    return 1.0 if answer == entry["answer"] else 0.0

            register_dataset("chain_sum", ChainSumDataset, ChainSumConfig)
            """.Replace("\n            ", "\n"));
        return Path.Combine(_temp.FullName, "rg");
    }

    private static async Task<(int Code, string Err)> Python(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(Checkout.Root, "build", "perf", "reasoning_gym_anchor.py"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await err);
    }

    [Fact]
    public async Task The_script_measures_a_checkout_without_its_package_init_and_perf_tasks_reads_its_output()
    {
        var output = Path.Combine(_temp.FullName, "anchor.json");
        var (code, err) = await Python("--source", StandInCheckout(), "--tasks", "chain_sum", "--items", "300", "--runs", "2", "--output", output);
        Assert.True(code == 0, err);
        Assert.Contains("chain_sum:", err);

        var anchor = ReasoningGymAnchor.Load(output);
        var rate = Assert.Single(anchor.ItemsPerCpuSecond);
        Assert.Equal("chain_sum", rate.Key);
        Assert.True(rate.Value > 0);
        Assert.Equal("reasoning-gym checkout", anchor.Version); // not a git checkout: no commit to name
        Assert.StartsWith("CPython 3.", anchor.Python);
        // The host it records is the one perf tasks compares with, so a same-run anchor passes the check.
        anchor.EnsureSameRun(HostIdentity.Current(), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public async Task A_folder_that_is_not_a_checkout_and_an_unknown_task_are_refused()
    {
        var notACheckout = await Python("--source", _temp.FullName, "--output", Path.Combine(_temp.FullName, "x.json"));
        Assert.NotEqual(0, notACheckout.Code);
        Assert.Contains("expected a reasoning-gym checkout", notACheckout.Err);

        var unknown = await Python("--source", StandInCheckout(), "--tasks", "chain_sum,nope", "--output", Path.Combine(_temp.FullName, "y.json"));
        Assert.NotEqual(0, unknown.Code);
        Assert.Contains("--tasks: unknown nope", unknown.Err);
        Assert.False(File.Exists(Path.Combine(_temp.FullName, "y.json")));
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
