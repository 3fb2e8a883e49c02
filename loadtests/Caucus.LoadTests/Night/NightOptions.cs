namespace Caucus.LoadTests.Night;

/// <summary>The caucus-night run's settings (bound from the command line in Program.cs).</summary>
public sealed record NightOptions
{
    public Uri? Url { get; init; }
    public bool StartApi { get; init; }
    public string Store { get; init; } = "sqlite";
    public string? Connection { get; init; }
    public int Instances { get; init; } = 1;
    public string? Token { get; init; }
    public double WaveMinutes { get; init; } = 2;
    public double CorrectionShare { get; init; } = 0.05;
    public double DuplicateShare { get; init; } = 0.10;
    public double HotlineShare { get; init; } = 0.05;
    public int PollRate { get; init; } = 100;
    public int ProjectionRate { get; init; } = 20;
    public int Listeners { get; init; } = 200;
    public int BurstListeners { get; init; } = 2000;
    public double CeilingSeconds { get; init; } = 10;
    public int CeilingRate { get; init; } = 4000;
    public int IngestRate { get; init; }
    public double IngestSeconds { get; init; } = 10;
    public int IngestConnections { get; init; } = 32;
    public int Seed { get; init; } = 2020;
    public int MaxInFlight { get; init; } = 2048;
    public double TimeoutSeconds { get; init; } = 10;
    public string? ThresholdsPath { get; init; }
    public string? ReportPath { get; init; }
    public string? Label { get; init; }
    public int? ApiPid { get; init; }
    public IReadOnlyList<string> Raw { get; init; } = [];
}
