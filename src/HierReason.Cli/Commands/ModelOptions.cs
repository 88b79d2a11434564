using System.CommandLine;
using HierReason.Core;
using HierReason.Engine;
using HierReason.Engine.Models;

namespace HierReason.Cli.Commands;

/// <summary>
/// The options every command that runs a model shares (<c>--device</c>, <c>--dtype</c>, <c>--threads</c>), and turning
/// them into a <see cref="DeviceSpec"/> with libtorch's thread count applied before any model work.
/// </summary>
public sealed class ModelOptions
{
    /// <summary>The most intra-op threads accepted; more is a typo, not a machine.</summary>
    public const int MaxThreads = 1024;

    public ModelOptions(string dtypeDescription = "Weight and activation type: float32, bfloat16 or float16.")
    {
        DType = new Option<string>("--dtype") { Description = dtypeDescription, DefaultValueFactory = _ => "float32" };
    }

    public Option<string> Device { get; } = new("--device")
    {
        Description = "Where the model runs: cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<string> DType { get; }

    public Option<int> Threads { get; } = new("--threads")
    {
        // The default uses every core; on a loaded, shared machine 1 can be much faster than 2, hence the option.
        Description = "libtorch intra-op threads (default: the number of processors; fewer can be faster on a busy machine).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(DType);
        command.Options.Add(Threads);
    }

    /// <summary>
    /// Parses device and dtype (a bad value is a user error naming the option), checks the device exists,
    /// and sets libtorch's thread count; call before loading or creating a model.
    /// </summary>
    public DeviceSpec Apply(ParseResult parse)
    {
        var spec = Parse(parse);
        var threads = parse.GetValue(Threads);
        if (threads is < 1 or > MaxThreads)
            throw new HierReasonException($"--threads: expected an integer in [1, {MaxThreads}]; found {threads}");
        try
        {
            spec.EnsureAvailable();
        }
        catch (EngineException e)
        {
            throw new HierReasonException("--device: " + e.Message, e);
        }
        TorchSharp.torch.set_num_threads(threads);
        return spec;
    }

    private DeviceSpec Parse(ParseResult parse)
    {
        var device = parse.GetValue(Device)!;
        var dtype = parse.GetValue(DType)!;
        try
        {
            DeviceSpec.ParseDeviceType(device, out _);
        }
        catch (EngineException e)
        {
            throw new HierReasonException("--device: " + e.Message, e);
        }
        try
        {
            return DeviceSpec.Parse(device, dtype);
        }
        catch (EngineException e)
        {
            throw new HierReasonException("--dtype: " + e.Message, e);
        }
    }
}
