namespace SfCompanion.Hosting;

/// <summary>
/// The service's logger factory: every logger it creates, for every provider (console, JSON console, whatever a host
/// adds), passes its message, its structured values and its exception through <see cref="SecretRedactor"/> first. A
/// secret reaching a log call by mistake (a token in an error answer, a key in a URL) is written as
/// <see cref="SecretRedactor.Hidden"/>.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = redactor.Redact(formatter(state, exception));
            var safeException = Redacted(exception);
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                inner.Log(logLevel, eventId, new RedactedValues(values, redactor, message), safeException, static (s, _) => s.Message);
            }
            else
            {
                inner.Log(logLevel, eventId, message, safeException, static (s, _) => s);
            }
        }

        /// <summary>The exception itself when nothing in it is secret; otherwise one whose text is the redacted original.</summary>
        private Exception? Redacted(Exception? exception)
        {
            if (exception is null)
            {
                return null;
            }

            var text = exception.ToString();
            var safe = redactor.Redact(text);
            return ReferenceEquals(text, safe) || text == safe ? exception : new RedactedException(safe);
        }
    }

    /// <summary>A log call's structured values with strings (and values shown as strings) redacted; the template is kept.</summary>
    private sealed class RedactedValues : List<KeyValuePair<string, object?>>
    {
        public RedactedValues(IReadOnlyList<KeyValuePair<string, object?>> values, SecretRedactor redactor, string message)
            : base(values.Count)
        {
            Message = message;
            foreach (var (key, value) in values)
            {
                Add(new(key, key == "{OriginalFormat}" ? value : Redact(value, redactor)));
            }
        }

        public string Message { get; }

        public override string ToString() => Message;

        private static object? Redact(object? value, SecretRedactor redactor) => value switch
        {
            null => null,
            string text => redactor.Redact(text),
            // Numbers, dates, booleans and enums carry no secret, and JSON logs keep their type.
            IConvertible or Guid or TimeSpan or DateTimeOffset => value,
            _ => redactor.Redact(value.ToString()),
        };
    }

    /// <summary>Stands for an exception whose text held a secret: the original's text (type, message, stack) redacted.</summary>
    private sealed class RedactedException(string text) : Exception(text)
    {
        public override string ToString() => Message;
    }
}
