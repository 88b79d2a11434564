using System.Security.Cryptography;
using System.Text;
using HierReason.Core;
using HierReason.Retrieval.Corpus;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Document = HierReason.Retrieval.Corpus.Document;
using LuceneDirectory = Lucene.Net.Store.Directory;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace HierReason.Retrieval.Index;

/// <summary>
/// A Lucene BM25 index (k1 1.2, b 0.75) over documents' title and contents, in memory or in a folder on disk. Queries
/// are the analyser's terms as SHOULD clauses over both fields, never parsed query syntax, so any text is a safe query.
/// Searching is thread-safe.
/// </summary>
public sealed class Bm25Index : IDisposable
{
    internal const string IdField = "id";
    internal const string TitleField = "title";
    internal const string ContentsField = "contents";
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    /// <summary>Distinct query terms kept (2 clauses each, under Lucene's 1024-clause limit); the rest of a long query is dropped.</summary>
    public const int MaxQueryTerms = 256;
    /// <summary>Changes whenever what is indexed, or how, changes: part of the on-disk folder name.</summary>
    private const string FormatVersion = "bm25-standard-v1";

    private readonly LuceneDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly Analyzer _analyzer;

    private Bm25Index(LuceneDirectory directory, Analyzer analyzer, string? path)
    {
        _directory = directory;
        _analyzer = analyzer;
        _reader = DirectoryReader.Open(directory);
        Searcher = new IndexSearcher(_reader) { Similarity = Bm25Settings.Similarity() };
        Path = path;
    }

    /// <summary>The folder the index lives in; null for an in-memory index.</summary>
    public string? Path { get; }

    /// <summary>How many documents are indexed.</summary>
    public int Count => _reader.NumDocs;

    internal IndexSearcher Searcher { get; }

    /// <summary>An index in memory (a RAMDirectory), built now.</summary>
    public static Bm25Index InMemory(IReadOnlyCollection<Document> documents)
    {
        var directory = new RAMDirectory();
        var analyzer = NewAnalyzer();
        Write(directory, analyzer, documents);
        return new Bm25Index(directory, analyzer, null);
    }

    /// <summary>
    /// The index of <paramref name="documents"/> under <paramref name="root"/>/&lt;corpus hash&gt;: opened when it is
    /// there, else written to a temporary folder beside it and renamed into place, so a folder that exists is complete.
    /// </summary>
    public static Bm25Index OpenOrBuild(IReadOnlyCollection<Document> documents, string root)
    {
        var path = System.IO.Path.Combine(root, CorpusHash(documents));
        if (System.IO.Directory.Exists(path)) return Open(path);
        System.IO.Directory.CreateDirectory(root);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var directory = FSDirectory.Open(temporary))
            using (var analyzer = NewAnalyzer())
                Write(directory, analyzer, documents);
            try
            {
                System.IO.Directory.Move(temporary, path);
            }
            catch (IOException) when (System.IO.Directory.Exists(path))
            {
                // Another process built the same corpus first; its index is the same.
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(temporary)) System.IO.Directory.Delete(temporary, recursive: true);
        }
        return Open(path);
    }

    /// <summary>Opens an index folder written by <see cref="OpenOrBuild"/>; documents come back from its stored fields.</summary>
    public static Bm25Index Open(string path)
    {
        if (!System.IO.Directory.Exists(path)) throw new HierReasonException($"index {path}: no such folder");
        var directory = FSDirectory.Open(path);
        if (!DirectoryReader.IndexExists(directory))
        {
            directory.Dispose();
            throw new HierReasonException($"index {path}: not a Lucene index (build one with 'hierreason retrieve index --corpus FILE --output DIR')");
        }
        return new Bm25Index(directory, NewAnalyzer(), System.IO.Path.GetFullPath(path));
    }

    /// <summary>A hash of the documents and of how they are indexed: the name of the corpus's index folder.</summary>
    public static string CorpusHash(IEnumerable<Document> documents)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(FormatVersion + "\0"));
        foreach (var d in documents) sha.AppendData(Encoding.UTF8.GetBytes($"{d.Id}\0{d.Title}\0{d.Contents}\0"));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>The top <paramref name="k"/> documents for <paramref name="query"/>, best first; no terms (empty, only punctuation or stop words) is no hits.</summary>
    public IReadOnlyList<RetrievedDocument> Search(string query, int k = 3)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var terms = Terms(query);
        if (terms.Count == 0 || _reader.MaxDoc == 0) return [];
        var boolean = new BooleanQuery();
        foreach (var term in terms)
        {
            boolean.Add(new TermQuery(new Term(TitleField, term)), Occur.SHOULD);
            boolean.Add(new TermQuery(new Term(ContentsField, term)), Occur.SHOULD);
        }
        var top = Searcher.Search(boolean, Math.Min(k, _reader.MaxDoc));
        var hits = new List<RetrievedDocument>(top.ScoreDocs.Length);
        foreach (var hit in top.ScoreDocs)
        {
            var stored = Searcher.Doc(hit.Doc);
            hits.Add(new RetrievedDocument(new Document(stored.Get(IdField), stored.Get(TitleField), stored.Get(ContentsField)), hit.Score));
        }
        return hits;
    }

    /// <summary>The distinct analysed terms of <paramref name="text"/>, in order, at most <see cref="MaxQueryTerms"/>.</summary>
    internal IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = _analyzer.GetTokenStream(ContentsField, new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (terms.Count < MaxQueryTerms && stream.IncrementToken())
        {
            var value = term.ToString();
            if (seen.Add(value)) terms.Add(value);
        }
        stream.End();
        return terms;
    }

    private static Analyzer NewAnalyzer() => new StandardAnalyzer(Version);

    private static void Write(LuceneDirectory directory, Analyzer analyzer, IReadOnlyCollection<Document> documents)
    {
        var config = new IndexWriterConfig(Version, analyzer)
        {
            Similarity = Bm25Settings.Similarity(),
            OpenMode = OpenMode.CREATE,
        };
        using var writer = new IndexWriter(directory, config);
        foreach (var d in documents)
        {
            writer.AddDocument(new LuceneDocument
            {
                new StringField(IdField, d.Id, Field.Store.YES),
                new TextField(TitleField, d.Title, Field.Store.YES),
                new TextField(ContentsField, d.Contents, Field.Store.YES),
            });
        }
        writer.Commit();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
