namespace Caucus.Core.Projection;

/// <summary>
/// How many simulated elections to draw and the seed they come from; the same reports, options and seed give
/// the same projection. <see cref="MaxDegreeOfParallelism"/> changes only the speed (every draw has its own stream).
/// </summary>
public sealed record ProjectionOptions(int Draws = ProjectionOptions.DefaultDraws, ulong Seed = 2020, int MaxDegreeOfParallelism = -1)
{
    /// <summary>Shipped draw count: an Iowa update at 50% reporting well under a second on two cores (README, "Projection backtest").</summary>
    public const int DefaultDraws = 1_000;
}
