using HierReason.Cli.Commands;
using HierReason.Engine.Models;

namespace HierReason.Cli.Tests.Commands;

public class ModelSummaryTests
{
    private static ModelConfig Small(string type) => new()
    {
        ModelType = type,
        VocabSize = 37,
        HiddenSize = 24,
        IntermediateSize = 40,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 6,
    };

    public static TheoryData<string> Shapes => ["llama tied", "llama attention_bias untied", "qwen2 untied"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Parameter_count_from_the_config_equals_the_built_models(string shape)
    {
        var config = shape switch
        {
            "llama tied" => Small("llama") with { TieWordEmbeddings = true },
            "llama attention_bias untied" => Small("llama") with { QkvBias = true, OutputBias = true },
            _ => Small("qwen2") with { QkvBias = true },
        };
        using var model = new CausalLM(config, DeviceSpec.Cpu);
        Assert.Equal(model.parameters().Sum(p => p.numel()), ModelSummary.ParameterCount(config));
    }
}
