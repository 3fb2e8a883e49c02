using System.ComponentModel.DataAnnotations;

namespace Caucus.Api.Demo;

/// <summary>The replayed night's settings, bound from <c>Caucus:Demo</c> (<c>--demo</c>, <c>--demo-speed N</c>) and validated at start-up.</summary>
public sealed class DemoOptions
{
    public const string Section = "Caucus:Demo";

    /// <summary>Replay the election's published night against this instance (<c>--demo</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// How many times faster than real time the night runs (<c>--demo-speed N</c>): the simulated night is
    /// <see cref="DemoPlan.NightLength"/> (three hours), so the default 18 replays it in about ten minutes.
    /// </summary>
    [Range(0.1, 100_000)]
    public double Speed { get; set; } = 18;

    /// <summary>The plan's seed: the same seed gives the same order, channels, typos, corrections and retries.</summary>
    public ulong Seed { get; set; } = 2020;
}
