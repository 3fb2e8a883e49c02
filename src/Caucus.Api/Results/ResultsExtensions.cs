using Caucus.Api.Elections;
using Caucus.Api.Infrastructure;
using Caucus.Api.Reports;

namespace Caucus.Api.Results;

public static class ResultsExtensions
{
    /// <summary>The election, the in-memory results, the ingest pipeline and the follower that feeds the results from the store.</summary>
    public static IServiceCollection AddCaucusResults(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => ElectionSource.Load(sp.GetRequiredService<CaucusOptions>().ElectionPath));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CaucusOptions>();
            return new ResultsState(sp.GetRequiredService<Caucus.Core.Model.Election>(), sp.GetRequiredService<TimeProvider>(),
                options.Test, options.ChangeLogCapacity, new Caucus.Core.Counting.CountingRules(options.DoubleEntry),
                TimeSpan.FromMilliseconds(options.SnapshotMaxAgeMilliseconds));
        });
        services.AddSingleton<ReportIngest>();
        services.AddSingleton<RevisionFollower>();
        services.AddSingleton<Projection.ProjectionService>();
        services.AddHostedService(sp => sp.GetRequiredService<Projection.ProjectionService>());
        services.AddHostedService(sp => sp.GetRequiredService<RevisionFollower>());
        return services;
    }
}
