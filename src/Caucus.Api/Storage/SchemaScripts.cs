using System.Data.Common;
using Dapper;

namespace Caucus.Api.Storage;

/// <summary>
/// The numbered files under <c>schema/&lt;dialect&gt;/</c>, embedded in this assembly so the service finds them
/// from any working directory. Applied in file-name order, each in its own transaction, each recorded in
/// <c>schema_version</c>; a file already recorded is never run again.
/// </summary>
internal static class SchemaScripts
{
    public sealed record Script(string Version, string Sql);

    public static IReadOnlyList<Script> For(string dialect)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var prefix = $"schema/{dialect}/";
        var scripts = new List<Script>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var version = Path.GetFileNameWithoutExtension(name[prefix.Length..]);
            scripts.Add(new Script(version, reader.ReadToEnd()));
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No schema files embedded for dialect '{dialect}'.");
        }

        scripts.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        return scripts;
    }

    /// <summary>
    /// Applies what is missing. The caller holds whatever cross-process guard the dialect needs
    /// (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE per file), and the applied list is re-read
    /// inside each file's transaction so two instances starting together apply each file once.
    /// </summary>
    public static async Task<int> ApplyAsync(
        DbConnection connection,
        string dialect,
        string createVersionTableSql,
        object appliedAt,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(createVersionTableSql, cancellationToken: cancellationToken));
        var applied = 0;
        foreach (var script in For(dialect))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM schema_version WHERE version = @Version",
                new { script.Version },
                transaction,
                cancellationToken: cancellationToken));
            if (already > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, applied_at) VALUES (@Version, @AppliedAt)",
                new { script.Version, AppliedAt = appliedAt },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }

        return applied;
    }
}
