using Caucus.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Caucus.Api.Tests.Processes;

/// <summary>
/// What the tests that stop or freeze PostgreSQL under a running API share: a server they may stop (the
/// "api-processes" collection's, or a throwaway one of their own when that is an existing server, which tests never
/// stop), one API process with the service's own commit deadline, and its output in the test log when it ends.
/// </summary>
public abstract class DatabaseFaultTest(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer? _ownServer;

    protected ITestOutputHelper Output { get; } = output;

    protected ApiProcess? Service { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            Output.WriteLine($"---- {Service} output (tail) ----\n{Service.Tail(80)}");
            await Service.DisposeAsync();
        }

        if (_ownServer is not null)
        {
            await _ownServer.DisposeAsync();
        }
    }

    /// <summary>A server this test may stop or freeze, a fresh database on it, and the API started on that database.</summary>
    protected async Task<(PostgresServer Postgres, ApiProcess Service)> StartOnStoppableServerAsync(string name)
    {
        var postgres = server.CanStop ? server : _ownServer = await PostgresServer.StartThrowawayAsync();
        var connectionString = await postgres.CreateDatabaseAsync();
        Service = await ApiProcess.StartAsync(name, "postgres", connectionString, Api.AdminToken, Answer.ProductionDeadline);
        return (postgres, Service);
    }
}
