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

    /// <summary>Registers <see cref="ICaucusStore"/> as a singleton; the follower calls <c>InitializeAsync</c> at start-up.</summary>
    public static IServiceCollection AddCaucusStore(this IServiceCollection services)
    {
        services.AddSingleton(sp => Create(
            sp.GetRequiredService<CaucusOptions>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<CaucusStoreOptions>()));
        return services;
    }
}
