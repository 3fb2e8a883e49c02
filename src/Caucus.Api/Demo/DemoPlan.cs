using System.Collections.Immutable;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Projection;

namespace Caucus.Api.Demo;

/// <summary>
/// Whose credential sends a step: the precinct's own (its captain, or a satellite's chair), one of the pair of hotline
/// operators that takes the precinct's call, or the admin (the official canvass).
/// </summary>
public enum DemoSender
{
    Precinct,
    FirstOperator,
    SecondOperator,
    Admin,
}

/// <summary>What a step plays out.</summary>
public enum DemoStepKind
{
    /// <summary>A precinct's report (for a hotline precinct, the first operator's entry).</summary>
    Report,

    /// <summary>The second hotline operator enters the same numbers: the entry counts.</summary>
    SecondEntry,

    /// <summary>The second operator's entry with one count off by one: a double-entry mismatch naming the field.</summary>
    Typo,

    /// <summary>The operator who mistyped enters the numbers again after the read-back: the mismatch is resolved.</summary>
    TypoCorrected,

    /// <summary>A first revision with a small mistake in the final alignment.</summary>
    Draft,

    /// <summary>The true numbers, replacing a <see cref="Draft"/>.</summary>
    Correction,

    /// <summary>The report again, now with the game of chance recorded (the outcome the published delegates show, or the synthetic night held: a coin toss, a card draw, a lot).</summary>
    Toss,

    /// <summary>A client retrying a request whose answer it did not get: the same Idempotency-Key and body.</summary>
    Retry,
}

/// <summary>One request of the replayed night, due <see cref="At"/> into the simulated night.</summary>
public sealed record DemoStep(TimeSpan At, string Precinct, DemoSender Sender, DemoStepKind Kind, string Body, string IdempotencyKey);

/// <summary>
/// A caucus night as a script of requests, a pure function of its reports (the published ones, or a synthetic night's)
/// and a seed. Only the order and the channels are invented; the numbers are the reports' (a published night's reported
/// delegates included, so the party's own rounding mistakes show as flags, as they did on the night). The order: a few small rural precincts
/// early, then a wave over about 60% of the night peaking in its middle, the big urban counties later, satellites
/// (where the election has them) last. A precinct where no one aligned held no caucus, and never reports.
/// </summary>
public sealed record DemoPlan(ImmutableArray<DemoStep> Steps, int Precincts, int Satellites, int Hotline, int Captains, int Official,
    int Typos, int Corrections, int Tosses, int Retries)
{
    /// <summary>The simulated night: three hours from the first report to the last satellite.</summary>
    public static readonly TimeSpan NightLength = TimeSpan.FromHours(3);

    private const double HotlineShare = 0.30;
    private const double CaptainShare = 0.60;
    private const double TypoShare = 0.02;
    private const double CorrectionShare = 0.03;
    private const double RetryShare = 0.05;
    private const int EarlyPrecincts = 20;

    public static DemoPlan Build(Election election, IEnumerable<PublishedReport> reports, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(election);
        ArgumentNullException.ThrowIfNull(reports);
        var rng = new Xoshiro256(seed, stream: 0x64656d6f);
        var form = election.RuleSet.Form;
        var ordered = reports.Where(r => r.Held).OrderBy(r => r.Precinct.Id, StringComparer.Ordinal).ToList();
        // The big urban counties report late: the largest tenth of the counties (Iowa's 10 of 99, Nevada's Clark and Washoe).
        var counties = election.Counties.Where(c => !c.IsSatelliteCounty).ToList();
        var big = counties.OrderByDescending(c => c.CountyDelegates).Take((counties.Count + 9) / 10)
            .Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var early = EarlyRural(election, ordered, big, ref rng);

        var steps = new List<DemoStep>();
        int hotline = 0, captains = 0, official = 0, typos = 0, corrections = 0, tosses = 0, retries = 0;
        foreach (var report in ordered)
        {
            var precinct = report.Precinct;
            var at = NightLength * (precinct.Kind == PrecinctKind.Satellite ? Uniform(ref rng, 0.86, 0.97)
                : early.Contains(precinct.Id) ? Uniform(ref rng, 0.01, 0.10)
                : big.Contains(precinct.County) ? Triangular(ref rng, 0.35, 0.70, 0.92)
                : Triangular(ref rng, 0.10, 0.42, 0.75));
            var roll = rng.NextDouble();
            // A toss is recorded by whoever reported the precinct; through the hotline that would take a second
            // double entry of the same report, so precincts that need one report through their own credential.
            var sender = roll < HotlineShare && report.TieOutcome is null ? DemoSender.FirstOperator
                : roll < HotlineShare + CaptainShare ? DemoSender.Precinct
                : DemoSender.Admin;
            var source = SourceOf(sender, precinct);
            var truth = DemoReportBody.Write(form, report.Tally, source, note: null);
            var n = 0;
            void Add(TimeSpan when, DemoSender who, DemoStepKind kind, string body) =>
                steps.Add(new DemoStep(when, precinct.Id, who, kind, body, $"demo-{precinct.Id}-{++n}"));

            if (sender == DemoSender.FirstOperator)
            {
                hotline++;
                Add(at, DemoSender.FirstOperator, DemoStepKind.Report, truth);
                var second = at + Minutes(ref rng, 0.5, 2);
                if (rng.NextDouble() < TypoShare && Typo(report.Tally, ref rng) is { } typo)
                {
                    typos++;
                    Add(second, DemoSender.SecondOperator, DemoStepKind.Typo, DemoReportBody.Write(form, typo, source, note: null));
                    Add(second + Minutes(ref rng, 1, 3), DemoSender.SecondOperator, DemoStepKind.TypoCorrected,
                        DemoReportBody.Write(form, report.Tally, source, "entered again after the read-back"));
                }
                else
                {
                    Add(second, DemoSender.SecondOperator, DemoStepKind.SecondEntry, truth);
                }
            }
            else
            {
                if (sender == DemoSender.Precinct) captains++;
                else official++;
                if (report.TieOutcome is { } outcome)
                {
                    tosses++;
                    Add(at, sender, DemoStepKind.Report, truth);
                    Add(at + Minutes(ref rng, 1, 3), sender, DemoStepKind.Toss,
                        DemoReportBody.Write(form, report.Tally.WithTieBreaks([outcome]), source, "game of chance held"));
                }
                else if (rng.NextDouble() < CorrectionShare && Draft(report.Tally, ref rng) is { } draft)
                {
                    corrections++;
                    Add(at, sender, DemoStepKind.Draft, DemoReportBody.Write(form, draft, source, note: null));
                    Add(at + Minutes(ref rng, 3, 10), sender, DemoStepKind.Correction, DemoReportBody.Write(form, report.Tally, source, "corrected final alignment"));
                }
                else
                {
                    Add(at, sender, DemoStepKind.Report, truth);
                }
            }
        }

        var truths = ordered.ToDictionary(r => r.Precinct.Id, StringComparer.Ordinal);
        if (typos == 0 && FirstSlip(steps, DemoStepKind.SecondEntry, truths, Typo, ref rng) is ({ } entry, { } mistyped))
        {
            typos++;
            var (report, source) = (truths[entry.Precinct], SourceOf(DemoSender.FirstOperator, truths[entry.Precinct].Precinct));
            steps.Remove(entry);
            steps.Add(entry with { Kind = DemoStepKind.Typo, Body = DemoReportBody.Write(form, mistyped, source, note: null) });
            steps.Add(entry with { At = entry.At + Minutes(ref rng, 1, 3), Kind = DemoStepKind.TypoCorrected, IdempotencyKey = $"demo-{entry.Precinct}-3",
                Body = DemoReportBody.Write(form, report.Tally, source, "entered again after the read-back") });
        }
        if (corrections == 0 && FirstSlip(steps, DemoStepKind.Report, truths, Draft, ref rng, s => s.Sender != DemoSender.FirstOperator) is ({ } sent, { } drafted))
        {
            corrections++;
            var (report, source) = (truths[sent.Precinct], SourceOf(sent.Sender, truths[sent.Precinct].Precinct));
            steps.Remove(sent);
            steps.Add(sent with { Kind = DemoStepKind.Draft, Body = DemoReportBody.Write(form, drafted, source, note: null) });
            steps.Add(sent with { At = sent.At + Minutes(ref rng, 3, 10), Kind = DemoStepKind.Correction, IdempotencyKey = $"demo-{sent.Precinct}-2",
                Body = DemoReportBody.Write(form, report.Tally, source, "corrected final alignment") });
        }

        foreach (var step in steps.ToList())
        {
            if (rng.NextDouble() >= RetryShare) continue;
            retries++;
            steps.Add(step with { At = step.At + TimeSpan.FromSeconds(Uniform(ref rng, 5, 20)), Kind = DemoStepKind.Retry });
        }
        // A stable sort: steps due at the same moment keep the order they were planned in.
        return new DemoPlan([.. steps.OrderBy(s => s.At)], ordered.Count, ordered.Count(r => r.Precinct.Kind == PrecinctKind.Satellite),
            hotline, captains, official, typos, corrections, tosses, retries);
    }

    /// <summary>
    /// How many pairs of hotline operators take the night's calls so that none sends more in the whole night than
    /// half of what one hotline credential may send in a minute (<c>Caucus:Limits:HotlineReportsPerMinute</c>): a
    /// pair's entries then stay inside the limit's burst at any replay speed, as a real hotline adds operators for the
    /// wave rather than having two people take every call.
    /// </summary>
    public int OperatorPairs(int hotlineReportsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hotlineReportsPerMinute, 1);
        var busiest = Math.Max(Steps.Count(s => s.Sender == DemoSender.FirstOperator), Steps.Count(s => s.Sender == DemoSender.SecondOperator));
        var perOperator = Math.Max(1, hotlineReportsPerMinute / 2);
        return Math.Max(1, (busiest + perOperator - 1) / perOperator);
    }

    private static ReportSource SourceOf(DemoSender sender, Precinct precinct) => sender switch
    {
        DemoSender.FirstOperator or DemoSender.SecondOperator => ReportSource.Hotline,
        DemoSender.Precinct => precinct.Kind == PrecinctKind.Satellite ? ReportSource.Chair : ReportSource.Captain,
        _ => ReportSource.Official,
    };

    private delegate Tally? Slip(Tally truth, ref Xoshiro256 rng);

    /// <summary>
    /// A small night (the walking-subcaucus example's five precincts) would seldom show a typo or a correction by chance
    /// alone: where the draws gave it none, the first step of <paramref name="kind"/> (the only step of its precinct of
    /// that kind, with no game of chance to record) that can carry the slip carries it. A big night always has some, so
    /// its plan does not change.
    /// </summary>
    private static (DemoStep Step, Tally Slipped)? FirstSlip(List<DemoStep> steps, DemoStepKind kind, Dictionary<string, PublishedReport> truths,
        Slip slip, ref Xoshiro256 rng, Func<DemoStep, bool>? also = null)
    {
        foreach (var step in steps.Where(s => s.Kind == kind && (also is null || also(s))).OrderBy(s => s.At).ToList())
        {
            var report = truths[step.Precinct];
            if (report.TieOutcome is not null || steps.Count(s => s.Precinct == step.Precinct) > (kind == DemoStepKind.SecondEntry ? 2 : 1)) continue;
            if (slip(report.Tally, ref rng) is { } slipped) return (step, slipped);
        }
        return null;
    }

    /// <summary>The precincts that report first: small precincts of the smaller, rural counties.</summary>
    private static HashSet<string> EarlyRural(Election election, List<PublishedReport> reports, HashSet<string> big, ref Xoshiro256 rng)
    {
        var rural = reports.Where(r => r.Precinct.Kind == PrecinctKind.Precinct && !big.Contains(r.Precinct.County) && r.Precinct.Delegates <= 3).ToList();
        var small = rural.Where(r => election.FindCounty(r.Precinct.County)!.CountyDelegates <= 60).Select(r => r.Precinct.Id).ToArray();
        // Nevada's smallest counties hold too few such precincts to open the night: take them from every smaller county.
        if (small.Length < EarlyPrecincts) small = [.. rural.Select(r => r.Precinct.Id)];
        for (var i = small.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (small[i], small[j]) = (small[j], small[i]);
        }
        return small.Take(EarlyPrecincts).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>One final-alignment count one higher: what a slip of the finger on the phone looks like.</summary>
    private static Tally? Typo(Tally truth, ref Xoshiro256 rng)
    {
        var groups = truth.Final.Where(g => g.Value > 0).Select(g => g.Key).ToArray();
        if (groups.Length == 0) return null;
        var group = groups[rng.NextInt(groups.Length)];
        return truth with { Final = truth.Final.SetItem(group, truth.Final[group] + 1) };
    }

    /// <summary>A first count that moved one to three people to the wrong group in the final alignment.</summary>
    private static Tally? Draft(Tally truth, ref Xoshiro256 rng)
    {
        var groups = truth.Final.Where(g => g.Value > 0).Select(g => g.Key).ToArray();
        if (groups.Length < 2) return null;
        var from = groups[rng.NextInt(groups.Length)];
        var to = groups.Where(g => g != from).ElementAt(rng.NextInt(groups.Length - 1));
        var moved = Math.Min(truth.Final[from], 1 + rng.NextInt(3));
        return truth with { Final = truth.Final.SetItem(from, truth.Final[from] - moved).SetItem(to, truth.Final[to] + moved) };
    }

    private static double Uniform(ref Xoshiro256 rng, double low, double high) => low + (high - low) * rng.NextDouble();

    private static TimeSpan Minutes(ref Xoshiro256 rng, double low, double high) => TimeSpan.FromMinutes(Uniform(ref rng, low, high));

    /// <summary>A draw from the triangular distribution on [low, high] with its mode at <paramref name="peak"/>.</summary>
    private static double Triangular(ref Xoshiro256 rng, double low, double peak, double high)
    {
        var u = rng.NextDouble();
        var split = (peak - low) / (high - low);
        return u < split
            ? low + Math.Sqrt(u * (high - low) * (peak - low))
            : high - Math.Sqrt((1 - u) * (high - low) * (high - peak));
    }
}
