using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>
/// How every statement runs: <see cref="Command(SqliteConnection, SqliteTransaction?, string, ReadOnlySpan{ValueTuple{string, object}})"/>
/// builds it with its named parameters, e.g. <c>("$kind", kind)</c>; writes run it on the writer inside
/// <see cref="WriteAsync{T}"/>'s transaction, reads on a pooled connection of their own.
/// </summary>
public sealed partial class SqliteStore
{
    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, ReadOnlySpan<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    // ---- inside a write transaction ----

    private static SqliteCommand Command(SqliteTransaction tx, string sql, params ReadOnlySpan<(string Name, object Value)> parameters) =>
        Command(tx.Connection!, tx, sql, parameters);

    /// <summary>Runs a statement in the transaction; returns the number of rows it changed.</summary>
    private static int Execute(SqliteTransaction tx, string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        using var command = Command(tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteTransaction tx, string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        using var command = Command(tx, sql, parameters);
        return command.ExecuteScalar();
    }

    // ---- reads, each on a pooled connection ----

    private async Task<T> QueryAsync<T>(string sql, (string Name, object Value)[] parameters, Func<SqliteCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters);
        return await run(command);
    }

    private Task<object?> QueryScalarAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken) =>
        QueryAsync(sql, parameters, command => command.ExecuteScalarAsync(cancellationToken), cancellationToken);

    /// <summary>Every row of the result, mapped by <paramref name="map"/>; <paramref name="capacity"/> sizes the list.</summary>
    private Task<List<T>> QueryRowsAsync<T>(string sql, (string Name, object Value)[] parameters, Func<SqliteDataReader, T> map, int capacity, CancellationToken cancellationToken) =>
        QueryAsync(sql, parameters, async command =>
        {
            var rows = new List<T>(capacity);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }, cancellationToken);

    // ---- set-up and migrations, on the writer before the store exists ----

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        command.ExecuteNonQuery();
    }

    internal static T? Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, null, sql, []);
        return command.ExecuteScalar() is T value ? value : default;
    }
}
