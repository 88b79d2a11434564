using HierReason.Core.Secrets;

namespace HierReason.Core.Tests.Secrets;

public sealed class SecretRedactorTests
{
    private static readonly SecretRedactor Redactor = new(["sk-live+Key/42", null, "", "ab"]);

    [Theory]
    [InlineData("bad key sk-live+Key/42 given", "bad key *** given")]
    [InlineData("""{"echo":"sk-live\u002BKey/42"}""", """{"echo":"***"}""")] // the JSON-escaped form
    [InlineData("you sent Authorization: Bearer sk-live+Key/42 (key sk-live+Key/42)", "you sent Authorization: *** (key ***)")]
    [InlineData("""headers {"Authorization": "Basic dXNlcjpwYXNz", "Accept": "x"}""", """headers {"Authorization": "***", "Accept": "x"}""")]
    [InlineData("proxy-authorization=hunter2;", "proxy-authorization=***;")]
    [InlineData("token was Bearer eyJhbGciOi.J9x-_y==, retry", "token was Bearer ***, retry")]
    [InlineData("HTTP 400: max_tokens is too large for basic_arithmetic (ab)", "HTTP 400: max_tokens is too large for basic_arithmetic (ab)")]
    public void Masks_secret_values_authorization_headers_and_bearer_tokens_and_nothing_else(string text, string expected) =>
        Assert.Equal(expected, Redactor.Redact(text));

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = Redactor.Redact("Authorization: Bearer sk-live+Key/42");
        Assert.Equal("Authorization: ***", once);
        Assert.Equal(once, Redactor.Redact(once));
    }

    [Fact]
    public void Reads_the_values_of_the_named_environment_variables()
    {
        var variable = "HIERREASON_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "s3cr3t-value");
        try
        {
            Assert.Equal("got ***", SecretRedactor.FromEnvironment([variable, null, "HIERREASON_TEST_UNSET_VARIABLE"]).Redact("got s3cr3t-value"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
