using Dapper;

namespace Caucus.Api.Storage;

/// <summary>Worksheet photos (schema 0010), written through the group-commit writer like every other write.</summary>
public partial class CaucusStore : IPhotoStore
{
    private const string PhotoColumns = """
        l.seq, l.precinct_id AS PrecinctId, l.sha256, p.media_type AS MediaType, p.size, l.channel, l.actor, l.received_at AS ReceivedAt
        """;

    private const string ListingSql = $"""
        SELECT {PhotoColumns} FROM precinct_photos l JOIN photos p ON p.sha256 = l.sha256
        WHERE l.precinct_id = @PrecinctId AND l.sha256 = @Sha256
        """;

    public async Task<(PhotoListing Listing, bool Added)> AppendPhotoAsync(NewPhoto photo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        var key = new { photo.PrecinctId, photo.Sha256 };
        return await _writer.WriteAsync(async w =>
        {
            var existing = await w.Connection.QuerySingleOrDefaultAsync<PhotoRow>(new CommandDefinition(ListingSql, key, w.Transaction,
                cancellationToken: w.CancellationToken));
            if (existing is not null) return (existing.ToListing(), false);
            if (await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM photos WHERE sha256 = @Sha256", key,
                    w.Transaction, cancellationToken: w.CancellationToken)) == 0)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO photos (sha256, media_type, size, bytes, stored_at) VALUES (@Sha256, @MediaType, @Size, @Bytes, @ReceivedAt)
                    """, new { photo.Sha256, photo.MediaType, Size = photo.Bytes.Length, photo.Bytes, photo.ReceivedAt }, w.Transaction,
                    cancellationToken: w.CancellationToken));
            }
            await w.Connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO precinct_photos (precinct_id, sha256, channel, actor, received_at)
                VALUES (@PrecinctId, @Sha256, @Channel, @Actor, @ReceivedAt)
                """, new { photo.PrecinctId, photo.Sha256, Channel = photo.Channel.ToString().ToLowerInvariant(), photo.Actor, photo.ReceivedAt },
                w.Transaction, cancellationToken: w.CancellationToken));
            return ((await w.Connection.QuerySingleAsync<PhotoRow>(new CommandDefinition(ListingSql, key, w.Transaction,
                cancellationToken: w.CancellationToken))).ToListing(), true);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<PhotoListing>> PhotosOfPrecinctAsync(string precinctId, CancellationToken cancellationToken = default) =>
        _run.RunAsync<IReadOnlyList<PhotoListing>>(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<PhotoRow>(new CommandDefinition($"""
                SELECT {PhotoColumns} FROM precinct_photos l JOIN photos p ON p.sha256 = l.sha256
                WHERE l.precinct_id = @PrecinctId ORDER BY l.seq
                """, new { PrecinctId = precinctId }, cancellationToken: ct));
            return [.. rows.Select(r => r.ToListing())];
        }, cancellationToken);

    public Task<IReadOnlyList<PhotoListing>> AllPhotosAsync(CancellationToken cancellationToken = default) =>
        _run.RunAsync<IReadOnlyList<PhotoListing>>(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var rows = await connection.QueryAsync<PhotoRow>(new CommandDefinition(
                $"SELECT {PhotoColumns} FROM precinct_photos l JOIN photos p ON p.sha256 = l.sha256 ORDER BY l.precinct_id, l.seq", cancellationToken: ct));
            return [.. rows.Select(r => r.ToListing())];
        }, cancellationToken);

    public Task<IReadOnlySet<string>> PrecinctsWithPhotosAsync(CancellationToken cancellationToken = default) =>
        _run.RunAsync<IReadOnlySet<string>>(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT precinct_id FROM precinct_photos", cancellationToken: ct));
            return ids.ToHashSet(StringComparer.Ordinal);
        }, cancellationToken);

    public Task<PhotoBytes?> PhotoAsync(string sha256, CancellationToken cancellationToken = default) =>
        _run.RunAsync(async ct =>
        {
            await using var connection = await _dialect.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<PhotoBytesRow>(new CommandDefinition(
                "SELECT media_type AS MediaType, bytes FROM photos WHERE sha256 = @Sha256", new { Sha256 = sha256 }, cancellationToken: ct));
            return row is null ? null : new PhotoBytes(row.MediaType, row.Bytes);
        }, cancellationToken);
}

/// <summary>A photo listing row as Dapper reads it.</summary>
internal sealed class PhotoRow
{
    public long Seq { get; set; }
    public string PrecinctId { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string MediaType { get; set; } = "";
    public long Size { get; set; }
    public string Channel { get; set; } = "";
    public string Actor { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }

    public PhotoListing ToListing() => new(Seq, PrecinctId, Sha256, MediaType, Size, Enum.Parse<PhotoChannel>(Channel, ignoreCase: true), Actor, ReceivedAt);
}

internal sealed class PhotoBytesRow
{
    public string MediaType { get; set; } = "";
    public byte[] Bytes { get; set; } = [];
}
