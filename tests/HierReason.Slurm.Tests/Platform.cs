// SLURM, munge, bash and Unix file modes: these tests are for Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
