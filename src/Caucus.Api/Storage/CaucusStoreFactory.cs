using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caucus.Api.Storage;

/// <summary>
/// Chooses the store from configuration: <c>Caucus:Store</c> = <c>sqlite</c> (default) or <c>postgres</c>,
/// and <c>ConnectionStrings:Caucus</c> (default <c>Data Source=caucus.db</c>).
/// </summary>
public static class CaucusStoreFactory
{
    public const string DefaultSqliteConnectionString = "Data Source=caucus.db";

    public static ICaucusStore Create(IConfiguration configuration, ILoggerFactory? loggerFactory = null, CaucusStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var kind = configuration["Caucus:Store"];
        var connectionString = configuration.GetConnectionString("Caucus");
        switch (kind?.Trim().ToLowerInvariant())
        {
            case null or "" or "sqlite":
                return new SqliteCaucusStore(
                    string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString,
                    options,
                    loggerFactory?.CreateLogger<SqliteCaucusStore>());
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Caucus:Store is 'postgres' but ConnectionStrings:Caucus is not set.");
                }

                return new PostgresCaucusStore(connectionString, options, loggerFactory?.CreateLogger<PostgresCaucusStore>());
            default:
                throw new InvalidOperationException($"Caucus:Store must be 'sqlite' or 'postgres', not '{kind}'.");
        }
    }

    /// <summary>Registers <see cref="ICaucusStore"/> as a singleton; the host still calls <c>InitializeAsync</c> at start-up.</summary>
    public static IServiceCollection AddCaucusStore(this IServiceCollection services)
    {
        services.AddSingleton(sp => Create(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<CaucusStoreOptions>()));
        return services;
    }
}
