using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace HierReason.Backends.Serving;

/// <summary>
/// The server's logger factory, less the host's "Hosting failed to start" entry when Kestrel could not bind its address
/// (port taken, address not on this machine): <see cref="OpenAiServer.StartAsync(ServeOptions, CancellationToken)"/>
/// reports that failure itself as a one-line user error, so its stack trace in the log would only repeat it.
/// </summary>
internal sealed class ListenFailureLogFilter(ILoggerFactory inner) : ILoggerFactory
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>The socket error under a failure to start listening, if that is what <paramref name="e"/> is.</summary>
    public static SocketException? SocketError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException socket) return socket;
        return null;
    }

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == HostCategory ? new Filtered(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The factory belongs to whoever configured the server; the web host must not dispose it.
    public void Dispose() { }

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (SocketError(exception) is not null) return;
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
