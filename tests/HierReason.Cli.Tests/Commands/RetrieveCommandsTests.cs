using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace HierReason.Cli.Tests.Commands;

/// <summary><c>hierreason retrieve index|query|serve</c> on a small Search-R1 corpus.</summary>
public sealed class RetrieveCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hierreason-retrieve-" + Guid.NewGuid().ToString("N")[..8]);

    public RetrieveCommandsTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Corpus, """
            {"id": "0", "contents": "\"Zentrix Labs\"\nZentrix Labs was founded by Mara Quell in 1987."}
            {"id": "1", "contents": "\"Mara Quell\"\nMara Quell was born in Drelm. She founded Zentrix Labs."}
            {"id": "2", "title": "Drelm", "contents": "Drelm is a city on the river Vask."}
            """);
    }

    private string Corpus => Path.Combine(_dir, "corpus.jsonl");

    [Fact]
    public async Task An_index_built_on_disk_answers_queries_as_search_r1_passages()
    {
        var index = await CliRun.Of("retrieve", "index", "--corpus", Corpus, "--output", Path.Combine(_dir, "indexes"));
        Assert.Equal(0, index.ExitCode);
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "indexes")));
        Assert.Equal($"3 documents indexed in {Path.GetFullPath(folder)}", index.Lines.Single());

        var query = await CliRun.Of("retrieve", "query", "--index", folder, "--query", "Where was Mara Quell born? (AND \"", "--k", "1");
        Assert.Equal(0, query.ExitCode);
        Assert.Equal("Doc 1(Title: \"Mara Quell\") Mara Quell was born in Drelm. She founded Zentrix Labs.\n", query.Out);

        var json = await CliRun.Of("retrieve", "query", "--corpus", Corpus, "--query", "Vask", "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("2", JsonNode.Parse(json.Out)!["result"]![0]![0]!["document"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_corpus_line_exits_2_naming_file_line_and_field()
    {
        var bad = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(bad, "{\"id\": \"0\", \"contents\": \"x\"}\n{\"id\": \"1\", \"contents\": 5}\n");
        var run = await CliRun.Of("retrieve", "query", "--corpus", bad, "--query", "x");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {bad}:2: field 'contents': expected a string; found a number", run.Err.Trim());
    }

    [Fact]
    public async Task Neither_or_both_of_corpus_and_index_exits_2()
    {
        Assert.Equal(2, (await CliRun.Of("retrieve", "query", "--query", "x")).ExitCode);
        Assert.Equal(2, (await CliRun.Of("retrieve", "query", "--corpus", Corpus, "--index", _dir, "--query", "x")).ExitCode);
        Assert.Equal(2, (await CliRun.Of("retrieve", "query", "--corpus", Corpus, "--query", "x", "--k", "0")).ExitCode);
    }

    [Fact]
    public async Task A_port_already_in_use_exits_2_with_one_line_naming_it()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((IPEndPoint)holder.LocalEndpoint).Port;
            var run = await CliRun.Of("retrieve", "serve", "--corpus", Corpus, "--port", port.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Equal($"error: retrieve serve: port {port} on 127.0.0.1 is already in use; pick another with --port", line);
        }
        finally
        {
            holder.Stop();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
