using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval.Tests;

/// <summary>Passages read exactly as Search-R1's _passages2string writes them.</summary>
public sealed class SearchR1FormatTests
{
    [Fact]
    public void Passages_are_numbered_with_the_title_line_as_it_stands_and_end_with_newlines()
    {
        RetrievedDocument[] hits =
        [
            new(new Document("0", "Zentrix Labs", "\"Zentrix Labs\"\nZentrix Labs was founded by Mara Quell."), 3.5),
            new(new Document("1", "Mara Quell", "\"Mara Quell\"\nMara Quell was born in Drelm.\nShe moved."), 2.0),
            new(new Document("2", "Bare", "Bare"), 1.0),
        ];
        Assert.Equal(
            "Doc 1(Title: \"Zentrix Labs\") Zentrix Labs was founded by Mara Quell.\n"
            + "Doc 2(Title: \"Mara Quell\") Mara Quell was born in Drelm.\nShe moved.\n"
            + "Doc 3(Title: Bare) \n",
            SearchR1Format.Passages(hits));
    }

    [Fact]
    public void No_hits_is_empty_text() => Assert.Equal("", SearchR1Format.Passages([]));
}
