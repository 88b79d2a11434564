using HierReason.Harness.Reporting;

namespace HierReason.Harness.Tests.Reporting;

public class ChartPreviewTests
{
    [Fact]
    public void Preview()
    {
        var dir = "/tmp/chartpreview";
        Directory.CreateDirectory(dir);
        var s = SampleResults.Summary();
        var paths = BenchmarkCharts.WriteAll(s, s.Tasks.Select(t => SampleResults.Task(s, t)).ToList(), dir);
        Assert.Equal(4, paths.Count);
        var many = SampleResults.Summary(Enumerable.Range(0, 7).SelectMany(t => Enumerable.Range(0, 5).Select(m =>
            SampleResults.Row($"task_number_{t}", $"a-rather-long-model-name-{m}", (t * 13 + m * 7) % 100 / 100.0, 0.03))).ToArray());
        BenchmarkCharts.Write(ChartBuilder.Summary(many), dir + "/many.png");
        BenchmarkCharts.Write(ChartBuilder.Comparison(SampleResults.Task(many, "task_number_3")), dir + "/many_cmp.png");
    }
}
