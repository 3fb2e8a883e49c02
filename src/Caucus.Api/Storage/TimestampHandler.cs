using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Caucus.Api.Storage;

/// <summary>
/// Timestamps in both dialects: UTC ISO-8601 text in SQLite (which sorts and compares correctly), timestamptz
/// in PostgreSQL; microsecond precision in both, so a timestamp reads back the same from either.
/// </summary>
internal sealed class TimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Replaces Dapper's built-in DateTimeOffset mapping with this handler, once per process.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
            SqlMapper.AddTypeHandler(new TimestampHandler());
            _registered = true;
        }
    }

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        var utc = StoreDialect.TruncateToMicroseconds(value).UtcDateTime;
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = utc.ToString("O", CultureInfo.InvariantCulture);
        }
        else
        {
            parameter.Value = utc;
        }
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime(),
        _ => throw new InvalidOperationException($"Unexpected timestamp value of type {value.GetType()}."),
    };
}
