using System.Globalization;

namespace Caucus.LoadTests;

/// <summary>Command-line options (`--name value`). Unknown options are an error, so a typo never silently runs the defaults.</summary>
internal sealed class Options
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5000");
    public string? Token { get; private set; } = Environment.GetEnvironmentVariable("CAUCUS_ADMIN_TOKEN");
    public string Scenario { get; private set; } = "ingest";
    /// <summary>Requests per second: ingest POSTs for `ingest` and `mixed`, GETs for `results`.</summary>
    public double Rate { get; private set; } = 100;
    /// <summary>Results GETs per second in `mixed` (default: 4 × --rate).</summary>
    public double? ReadRate { get; private set; }
    public double DurationSeconds { get; private set; } = 20;
    /// <summary>Seconds run at the same rate before measuring starts (JIT, connection pool); not counted.</summary>
    public double WarmupSeconds { get; private set; } = 2;
    public int Seed { get; private set; } = 2020;
    /// <summary>Requests in flight per scenario above which a scheduled request is dropped (and counted as an error).</summary>
    public int MaxInFlight { get; private set; } = 256;
    public double TimeoutSeconds { get; private set; } = 10;
    /// <summary>Share of ingest requests that are duplicate retries (same key and body as an acknowledged one).</summary>
    public double DuplicateShare { get; private set; } = 0.03;
    /// <summary>Share of ingest requests that are corrections (a new report to an already reported precinct).</summary>
    public double CorrectionShare { get; private set; } = 0.05;
    public double? MaxP99Ms { get; private set; }
    public double? MaxErrorRate { get; private set; }
    public double? MinRpsShare { get; private set; }
    public string? ReportPath { get; private set; }
    /// <summary>Free text for the report, e.g. "SQLite, Release, fresh db".</summary>
    public string? Label { get; private set; }
    /// <summary>The API's process id, to report its CPU use over the measured window (read from /proc).</summary>
    public int? ApiPid { get; private set; }
    public IReadOnlyList<string> Raw { get; private set; } = [];

    public static readonly string[] Scenarios = ["ingest", "results", "mixed"];

    public const string Usage = """
        Caucus.LoadTests — open-model load runner for the Caucus API.

          --scenario ingest|results|mixed   (default ingest)
          --url URL              API base address (default http://127.0.0.1:5000; load goes to loopback only)
          --token TOKEN          admin token (default: env CAUCUS_ADMIN_TOKEN)
          --rate N               requests/s (ingest POSTs for ingest and mixed; GETs for results)  (default 100)
          --read-rate N          results GETs/s in mixed (default 4 x --rate)
          --duration S           measured seconds (default 20)
          --warmup S             seconds at the same rate before measuring, not counted (default 2)
          --seed N               seed for precinct order and tallies (default 2020)
          --max-in-flight N      concurrency cap per scenario; requests over it are dropped = errors (default 256)
          --timeout S            per-request timeout (default 10)
          --duplicate-share F    share of duplicate retries in ingest (default 0.03)
          --correction-share F   share of corrections in ingest (default 0.05)
          --max-p99-ms MS        threshold: fail (exit 1) if any scenario's p99 is above
          --max-error-rate F     threshold: fail if any scenario's errors/requests is above (e.g. 0 or 0.001)
          --min-rps-share F      threshold: fail if achieved OK/s is below F x the target rate (e.g. 0.95)
          --report PATH.md       write a Markdown report (and PATH.png, the per-second latency plot)
          --label TEXT           a note for the report, e.g. "SQLite, fresh db"
          --api-pid PID          the API's process id: report its CPU use over the measured window
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options { Raw = args };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help") throw new UsageException("");
            if (!name.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"Unexpected argument '{name}'.");
            if (i + 1 >= args.Length) throw new UsageException($"{name} needs a value.");
            var value = args[++i];
            switch (name)
            {
                case "--url": o.Url = ParseUrl(value); break;
                case "--token": o.Token = value; break;
                case "--scenario":
                    if (!Scenarios.Contains(value)) throw new UsageException($"--scenario must be one of {string.Join(", ", Scenarios)}.");
                    o.Scenario = value;
                    break;
                case "--rate": o.Rate = Positive(name, value); break;
                case "--read-rate": o.ReadRate = Positive(name, value); break;
                case "--duration": o.DurationSeconds = Positive(name, value); break;
                case "--warmup": o.WarmupSeconds = NonNegative(name, value); break;
                case "--seed": o.Seed = (int)NonNegative(name, value); break;
                case "--max-in-flight": o.MaxInFlight = (int)Positive(name, value); break;
                case "--timeout": o.TimeoutSeconds = Positive(name, value); break;
                case "--duplicate-share": o.DuplicateShare = Share(name, value); break;
                case "--correction-share": o.CorrectionShare = Share(name, value); break;
                case "--max-p99-ms": o.MaxP99Ms = Positive(name, value); break;
                case "--max-error-rate": o.MaxErrorRate = Share(name, value); break;
                case "--min-rps-share": o.MinRpsShare = Share(name, value); break;
                case "--report": o.ReportPath = value; break;
                case "--label": o.Label = value; break;
                case "--api-pid": o.ApiPid = (int)Positive(name, value); break;
                default: throw new UsageException($"Unknown option '{name}'.");
            }
        }
        if (o.DuplicateShare + o.CorrectionShare > 0.9) throw new UsageException("--duplicate-share + --correction-share must leave room for first reports.");
        if (o.Rate * (o.DurationSeconds + o.WarmupSeconds) > 2_000_000) throw new UsageException("More than 2,000,000 requests per scenario: lower --rate or --duration.");
        if (o.DurationSeconds > 600) throw new UsageException("--duration is capped at 600 s.");
        return o;
    }

    private static Uri ParseUrl(string value)
    {
        if (!Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException("--url must be an absolute http(s) address.");
        if (!uri.IsLoopback) throw new UsageException("--url must be a loopback address (127.0.0.1 or localhost): this runner only loads the local machine.");
        return uri;
    }

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : throw new UsageException($"{name} must be a number.");

    private static double Positive(string name, string value) =>
        Number(name, value) is var d && d > 0 ? d : throw new UsageException($"{name} must be above 0.");

    private static double NonNegative(string name, string value) =>
        Number(name, value) is var d && d >= 0 ? d : throw new UsageException($"{name} must be 0 or more.");

    private static double Share(string name, string value) =>
        Number(name, value) is var d && d is >= 0 and <= 1 ? d : throw new UsageException($"{name} must be between 0 and 1.");
}

/// <summary>Bad command line (or --help, with an empty message): print the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
