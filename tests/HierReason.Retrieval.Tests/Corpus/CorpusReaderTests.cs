using HierReason.Core;
using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval.Tests.Corpus;

/// <summary>Search-R1 JSONL in; every bad line is an error naming the file, the line and the field.</summary>
public sealed class CorpusReaderTests
{
    private static IReadOnlyList<Document> Read(string jsonl, CorpusLimits? limits = null) => CorpusReader.Read(new StringReader(jsonl), "corpus.jsonl", limits);

    private static string Error(string jsonl, CorpusLimits? limits = null) => Assert.Throws<HierReasonException>(() => Read(jsonl, limits)).Message;

    [Fact]
    public void Search_r1_contents_give_the_quoted_first_line_as_title()
    {
        var docs = Read("""
            {"id": "0", "contents": "\"Zentrix Labs\"\nZentrix Labs was founded by Mara Quell."}

            {"id": 17, "contents": "No title line"}
            """);
        Assert.Equal(2, docs.Count);
        Assert.Equal(new Document("0", "Zentrix Labs", "\"Zentrix Labs\"\nZentrix Labs was founded by Mara Quell."), docs[0]);
        Assert.Equal("Zentrix Labs was founded by Mara Quell.", docs[0].Text);
        Assert.Equal("17", docs[1].Id);
        Assert.Equal("No title line", docs[1].Title);
    }

    [Fact]
    public void A_title_field_becomes_the_title_line_unless_the_contents_already_carry_it()
    {
        var docs = Read("""
            {"id": "a", "title": "Oskar Vale", "contents": "Oskar Vale was born in Drelm."}
            {"id": "b", "title": "Mara Quell", "contents": "\"Mara Quell\"\nMara Quell founded Zentrix Labs."}
            """);
        Assert.Equal("\"Oskar Vale\"\nOskar Vale was born in Drelm.", docs[0].Contents);
        Assert.Equal("Oskar Vale", docs[0].Title);
        Assert.Equal("\"Mara Quell\"\nMara Quell founded Zentrix Labs.", docs[1].Contents);
    }

    [Theory]
    [InlineData("{\"contents\": \"x\"}", "corpus.jsonl:1: field 'id': missing")]
    [InlineData("{\"id\": \"\", \"contents\": \"x\"}", "corpus.jsonl:1: field 'id': empty")]
    [InlineData("{\"id\": [1], \"contents\": \"x\"}", "corpus.jsonl:1: field 'id': expected a string or a number; found an array")]
    [InlineData("{\"id\": \"a\"}", "corpus.jsonl:1: field 'contents': missing")]
    [InlineData("{\"id\": \"a\", \"contents\": 3}", "corpus.jsonl:1: field 'contents': expected a string; found a number")]
    [InlineData("{\"id\": \"a\", \"contents\": null}", "corpus.jsonl:1: field 'contents': expected a string; found null")]
    [InlineData("{\"id\": \"a\", \"contents\": \"x\", \"title\": {}}", "corpus.jsonl:1: field 'title': expected a string; found an object")]
    [InlineData("[1, 2]", "corpus.jsonl:1: expected a JSON object; found an array")]
    public void A_bad_field_is_named_with_file_and_line(string line, string expected) => Assert.Equal(expected, Error(line));

    [Fact]
    public void Invalid_json_names_its_line()
    {
        var message = Error("{\"id\": \"a\", \"contents\": \"x\"}\n\n{\"id\": \"b\", \"contents\": \"x\"");
        Assert.StartsWith("corpus.jsonl:3: invalid JSON", message);
    }

    [Fact]
    public void A_duplicate_id_names_both_lines()
    {
        var message = Error("{\"id\": \"a\", \"contents\": \"x\"}\n{\"id\": \"b\", \"contents\": \"y\"}\n{\"id\": \"a\", \"contents\": \"z\"}");
        Assert.Equal("corpus.jsonl:3: field 'id': duplicate id 'a' (first on line 1)", message);
    }

    [Fact]
    public void Limits_stop_the_read_at_the_line_that_crosses_them()
    {
        var limits = new CorpusLimits { MaxDocuments = 2, MaxLineBytes = 100 };
        Assert.Equal("corpus.jsonl:3: the corpus holds more than 2 documents",
            Error("{\"id\": 1, \"contents\": \"x\"}\n{\"id\": 2, \"contents\": \"x\"}\n{\"id\": 3, \"contents\": \"x\"}", limits));
        Assert.StartsWith("corpus.jsonl:1: the line is ", Error("{\"id\": 1, \"contents\": \"" + new string('x', 200) + "\"}", limits));
        Assert.StartsWith("corpus.jsonl:1: field 'id': 300 characters", Error("{\"id\": \"" + new string('i', 300) + "\", \"contents\": \"x\"}"));
    }

    [Fact]
    public void An_empty_corpus_or_a_missing_file_is_a_user_error()
    {
        Assert.Contains("no documents", Error("\n\n"));
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".jsonl");
        Assert.Contains("no such file", Assert.Throws<HierReasonException>(() => CorpusReader.ReadJsonl(missing)).Message);
    }

    [Fact]
    public void A_file_reads_like_its_text()
    {
        var world = new GeneratedWorld(people: 20, seed: 4);
        var path = Path.Combine(Path.GetTempPath(), "hierreason-corpus-" + Guid.NewGuid().ToString("N")[..8] + ".jsonl");
        File.WriteAllText(path, world.ToJsonl());
        try
        {
            Assert.Equal(world.Documents, CorpusReader.ReadJsonl(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
