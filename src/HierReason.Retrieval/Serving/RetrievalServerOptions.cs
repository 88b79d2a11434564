using Microsoft.Extensions.Logging;

namespace HierReason.Retrieval.Serving;

/// <summary>Where and how <see cref="RetrievalServer"/> listens; port 0 binds any free port (tests).</summary>
public sealed record RetrievalServerOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8001;
    /// <summary>The top-k of a request that names no "topk".</summary>
    public int DefaultTopK { get; init; } = 3;
    public long MaxBodyBytes { get; init; } = 1 << 20;
    /// <summary>Logs one line per request (never bodies); null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
