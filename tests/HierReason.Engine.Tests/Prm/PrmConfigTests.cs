using HierReason.Engine.Prm;
using Xunit;

namespace HierReason.Engine.Tests.Prm;

public sealed class PrmConfigTests
{
    [Fact]
    public void A_count_class_head_keeps_its_labels_and_positive_classes_through_config_json()
    {
        using var temp = new TempDir();
        var config = PrmConfig.For(TestModels.Llama(), numLabels: 4) with { ProbLabels = [2, 3] };
        config.Save(temp.Path);

        var loaded = PrmConfig.Load(Path.Combine(temp.Path, "config.json"));

        Assert.Equal("LlamaForTokenClassification", loaded.Architecture);
        Assert.Equal(4, loaded.NumLabels);
        Assert.Equal(["LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3"], loaded.LabelNames);
        Assert.Equal([2, 3], loaded.ProbLabels);
        Assert.Equal(config.Body.ToJson().ToJsonString(), loaded.Body.ToJson().ToJsonString());
    }

    [Fact]
    public void A_positive_class_outside_the_head_is_rejected()
    {
        var config = PrmConfig.For(TestModels.Llama()) with { ProbLabels = [2] };
        Assert.Throws<EngineException>(() => config.Validate());
    }
}
