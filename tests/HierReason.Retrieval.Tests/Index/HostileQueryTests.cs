using HierReason.Retrieval.Index;

namespace HierReason.Retrieval.Tests.Index;

/// <summary>Whatever a policy writes between &lt;search&gt; tags is a query: it never throws, and no terms means no hits.</summary>
public sealed class HostileQueryTests
{
    private static readonly Bm25Index Index = Bm25Index.InMemory(new GeneratedWorld(people: 40, seed: 11).Documents);

    public static TheoryData<string> Queries() => new()
    {
        "\"unbalanced quote",
        "title:foo AND contents:bar",
        "a:b:c::",
        "[1 TO 5]",
        "{x TO y}",
        "(((born",
        "born)))",
        "NOT OR AND",
        "+born -was ~2 ^3 *wild? ca*",
        "\\ / ! ^ ~ * ? : \" ' { } [ ] ( ) && ||",
        "born" + new string('(', 500),
        "<search>Where was</search><information>",
        "😀 ☃ 北京 Zürich ḃorn",
        "\u0000\u0001\u001f",
        string.Concat(Enumerable.Repeat("junk:(\"[x] AND y~ ", 600)),
        string.Join(" ", Enumerable.Range(0, 5000).Select(i => "t" + i)),
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void A_hostile_query_never_throws(string query)
    {
        var hits = Index.Search(query, k: 3);
        Assert.InRange(hits.Count, 0, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("?!.,;:()[]{}")]
    [InlineData("the a an of and")]
    public void A_query_without_terms_has_no_hits(string query) => Assert.Empty(Index.Search(query));

    [Fact]
    public void Query_syntax_is_read_as_words()
    {
        var person = new GeneratedWorld(people: 40, seed: 11).Births[5];
        var plain = Index.Search($"{person.Name} born");
        var decorated = Index.Search($"title:({person.Name}) AND born~2");
        Assert.Equal(person.DocId, plain[0].Document.Id);
        Assert.Equal(person.DocId, decorated[0].Document.Id);
    }

    [Fact]
    public void A_query_of_thousands_of_terms_is_cut_to_the_clause_limit()
    {
        var terms = Index.Terms(string.Join(" ", Enumerable.Range(0, 5000).Select(i => "t" + i)));
        Assert.Equal(Bm25Index.MaxQueryTerms, terms.Count);
    }
}
