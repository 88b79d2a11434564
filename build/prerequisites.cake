// System prerequisites (libstdc++ with GLIBCXX_3.4.32 for TorchSharp's libtorch), via build/setup.sh.
Task("Prerequisites")
    .Does(() =>
{
    if (!IsRunningOnUnix())
    {
        Information("Prerequisites: nothing to install on this OS");
        return;
    }
    var exit = StartProcess("bash", new ProcessSettings { Arguments = "build/setup.sh" });
    if (exit != 0) throw new Exception("build/setup.sh failed: see its message above");
});
