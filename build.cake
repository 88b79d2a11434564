// HierReason's pipeline. The targets live in build/*.cake; each calls `dotnet` or the built
// `hierreason` tool. No business logic here: Cake runs tasks one at a time and must not load
// native libraries, so scheduling and everything else lives in the libraries, where it is tested.
#load "build/parameters.cake"
#load "build/prerequisites.cake"
#load "build/compile.cake"
#load "build/test.cake"
#load "build/benchmark.cake"
#load "build/hierarchical.cake"
#load "build/publish.cake"

Task("Default").IsDependentOn("Test");

RunTarget(Parameters.Target);
