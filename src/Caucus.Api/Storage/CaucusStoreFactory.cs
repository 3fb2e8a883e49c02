using Caucus.Api.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caucus.Api.Storage;

/// <summary>
/// Chooses the store from the options: <c>Caucus:Store</c> = <c>sqlite</c> (default) or <c>postgres</c>,
/// and <c>ConnectionStrings:Caucus</c> (default <c>Data Source=caucus.db</c>).
/// </summary>
public static class CaucusStoreFactory
{
    public const string DefaultSqliteConnectionString = "Data Source=caucus.db";

    public static ICaucusStore Create(IConfiguration configuration, ILoggerFactory? loggerFactory = null, CaucusStoreOptions? options = null) =>
        Create(configuration.ReadCaucusOptions(), loggerFactory, options);

    public static ICaucusStore Create(CaucusOptions caucus, ILoggerFactory? loggerFactory = null, CaucusStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(caucus);
        return caucus.Store switch
        {
            StoreKind.Sqlite => new SqliteCaucusStore(
                string.IsNullOrWhiteSpace(caucus.ConnectionString) ? DefaultSqliteConnectionString : caucus.ConnectionString,
                options, loggerFactory?.CreateLogger<SqliteCaucusStore>()),
            _ => new PostgresCaucusStore(
                string.IsNullOrWhiteSpace(caucus.ConnectionString)
                    ? throw new InvalidOperationException("Caucus:Store is 'postgres' but ConnectionStrings:Caucus is not set.")
                    : caucus.ConnectionString,
                options, loggerFactory?.CreateLogger<PostgresCaucusStore>()),
        };
    }

    /// <summary>
    /// Registers <see cref="ICaucusStore"/> as a singleton; the follower calls <c>InitializeAsync</c> at start-up. The
    /// container disposes it after every hosted service has stopped (the server first, then the follower), so a
    /// report still being answered when the service is told to stop is committed, and the writer's queue is drained.
    /// </summary>
    public static IServiceCollection AddCaucusStore(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var caucus = sp.GetRequiredService<CaucusOptions>();
            var metrics = sp.GetService<CaucusMetrics>();
            var options = (sp.GetService<CaucusStoreOptions>() ?? new CaucusStoreOptions()) with
            {
                CommitWait = TimeSpan.FromMilliseconds(caucus.CommitWaitMilliseconds),
                CommandTimeout = TimeSpan.FromMilliseconds(caucus.CommandTimeoutMilliseconds),
            };
            if (metrics is not null && options.BatchCommitted is null) options = options with { BatchCommitted = metrics.BatchCommitted };
            return Create(caucus, sp.GetService<ILoggerFactory>(), options);
        });
        return services;
    }
}
