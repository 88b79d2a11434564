using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HierReason.Core;
using HierReason.Retrieval.Corpus;
using HierReason.Retrieval.Serving;

namespace HierReason.Retrieval;

/// <summary>
/// A client of a Search-R1 <c>/retrieve</c> server (ours, <c>hierreason retrieve serve</c>, or Search-R1's e5/FAISS or
/// BM25 servers). Batches larger than the contract's limit go as several requests; failures are user errors naming the URL.
/// </summary>
public sealed class RemoteRetriever : IRetriever, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    /// <param name="url">The /retrieve endpoint, e.g. <c>http://127.0.0.1:8001/retrieve</c>; a bare server URL gets /retrieve appended.</param>
    /// <param name="http">A client to use (not disposed here); null makes one with <paramref name="timeout"/> (default 120 s, Search-R1's).</param>
    public RemoteRetriever(string url, HttpClient? http = null, TimeSpan? timeout = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new HierReasonException($"retrieval server '{url}': expected an http(s) URL such as http://127.0.0.1:8001/retrieve");
        Endpoint = uri.AbsolutePath is "/" or "" ? new Uri(uri, "/retrieve") : uri;
        _ownsClient = http is null;
        _http = http ?? new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(120) };
    }

    public Uri Endpoint { get; }

    public async Task<IReadOnlyList<IReadOnlyList<RetrievedDocument>>> RetrieveAsync(IReadOnlyList<string> queries, int topK, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var results = new List<IReadOnlyList<RetrievedDocument>>(queries.Count);
        for (var start = 0; start < queries.Count; start += RetrieveContract.MaxQueries)
        {
            var batch = queries.Skip(start).Take(RetrieveContract.MaxQueries).ToArray();
            var answer = await PostAsync(batch, topK, cancellationToken).ConfigureAwait(false);
            if (answer.Count != batch.Length)
                throw new HierReasonException($"retrieval server {Endpoint}: {batch.Length} queries sent, {answer.Count} result lists returned");
            results.AddRange(answer);
        }
        return results;
    }

    private async Task<IReadOnlyList<IReadOnlyList<RetrievedDocument>>> PostAsync(string[] queries, int topK, CancellationToken cancellationToken)
    {
        using var content = new StringContent(RetrieveContract.Request(queries, topK).ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(Endpoint, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HierReasonException($"retrieval server {Endpoint} is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HierReasonException($"retrieval server {Endpoint} did not answer within {_http.Timeout.TotalSeconds:F0} s", e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new HierReasonException($"retrieval server {Endpoint} answered {(int)response.StatusCode}: {Shorten(body)}");
            try
            {
                using var json = JsonDocument.Parse(body);
                return RetrieveContract.ParseResponse(json.RootElement, Endpoint.ToString());
            }
            catch (JsonException e)
            {
                throw new HierReasonException($"retrieval server {Endpoint}: the answer is not JSON: {e.Message}", e);
            }
        }
    }

    private static string Shorten(string body) => body.Length <= 500 ? body : body[..500] + "…";

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}
