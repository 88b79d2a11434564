using System.Text.Json.Nodes;
using HierReason.Core.IO;

namespace HierReason.Retrieval.Corpus;

/// <summary>Writes a Search-R1 corpus, the JSONL <see cref="CorpusReader"/> reads: one <c>{"id", "contents"}</c> a line.</summary>
public static class CorpusWriter
{
    /// <summary>Writes <paramref name="documents"/> to <paramref name="path"/> atomically (a temp file beside it, then a rename).</summary>
    public static void WriteJsonl(string path, IEnumerable<Document> documents) => AtomicFile.Write(path, writer =>
    {
        foreach (var d in documents)
        {
            writer.Write(new JsonObject { ["id"] = d.Id, ["contents"] = d.Contents }.ToJsonString());
            writer.Write('\n');
        }
    });
}
