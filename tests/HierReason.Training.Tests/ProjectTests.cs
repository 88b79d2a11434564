namespace HierReason.Training.Tests;

public class ProjectTests
{
    [Fact]
    public void Training_errors_are_user_errors_the_cli_reports_with_exit_code_2()
        => Assert.IsAssignableFrom<HierReason.Core.HierReasonException>(new TrainingException("x"));
}
