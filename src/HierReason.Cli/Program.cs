return await HierReason.Cli.HierReasonCli.RunAsync(args, Console.Out, Console.Error);
