using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Caucus.Api.Results;
using Caucus.Core.Aggregation;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Caucus.Core.Projection;
using Caucus.Core.Rules.Iowa2020;
using Caucus.Core.Rules;

namespace Caucus.Benchmarks;

/// <summary>
/// Allocation of every precinct of a shipped election's published night, per precinct (OperationsPerInvoke = the
/// precinct count, so the reported time and bytes are per precinct; precincts/s = 1 s ÷ the mean), through the
/// election's own rule set: the exact allocation and the fast path it hands out. The target is ≥ 1,000,000/s.
/// </summary>
[MemoryDiagnoser]
public class Allocation
{
    private IRuleSet rules = null!;
    private IFastAllocator fast = null!;
    private (int Delegates, Tally Tally)[] tallies = [];
    private (int Delegates, int Attendees, int[] Final)[] arrays = [];
    private int[] award = [];

    [Params("iowa-2020", "nevada-2020")]
    public string Election { get; set; } = "iowa-2020";

    [GlobalSetup]
    public void Setup()
    {
        var (election, published) = Shipped.Load(Election);
        rules = election.RuleSet;
        fast = rules.CreateFastAllocator();
        award = new int[election.Candidates.Length];
        tallies = [.. election.Precincts.Where(p => published.ContainsKey(p.Id) && published[p.Id].Attendees > 0)
            .Select(p => (p.Delegates, published[p.Id])).Take(Precincts)];
        if (tallies.Length != Precincts) throw new InvalidOperationException($"{tallies.Length} precincts with a tally, expected {Precincts}.");
        arrays = [.. tallies.Select(t => (t.Delegates, t.Tally.Attendees, election.Candidates.Select(c => t.Tally.FinalOf(c)).ToArray()))];
    }

    // The first 1,600 precincts with anyone present, in the folder's order: both nights have more (Iowa 1,765, Nevada
    // 1,648), and OperationsPerInvoke must be one constant.
    private const int Precincts = 1600;

    [Benchmark(OperationsPerInvoke = Precincts, Description = "IRuleSet.Allocate, per precinct")]
    public int RuleSet()
    {
        var sum = 0;
        foreach (var (delegates, tally) in tallies) sum += rules.Allocate(delegates, tally).Delegates;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Precincts, Description = "IRuleSet.CreateFastAllocator(), per precinct")]
    public int Fast()
    {
        var sum = 0;
        foreach (var (delegates, attendees, final) in arrays)
        {
            if (fast.Allocate(delegates, attendees, final, award)) sum += award[0];
        }
        return sum;
    }
}

/// <summary>A full Iowa recompute: every precinct's 2020 tally through PrecinctResult.Compute into a new ResultsAggregate, then the statewide totals.</summary>
[MemoryDiagnoser]
public class Recompute
{
    private (Precinct Precinct, Tally Tally)[] reports = [];

    [GlobalSetup]
    public void Setup() => reports = [.. Iowa.Election.Precincts.Where(p => Iowa.Tallies.ContainsKey(p.Id)).Select(p => (p, Iowa.Tallies[p.Id]))];

    [Benchmark(Description = "Full Iowa recompute (1,765 precincts + statewide)")]
    public ResultsTotals FullIowa()
    {
        var election = Iowa.Election;
        var aggregate = new ResultsAggregate(election);
        foreach (var (precinct, tally) in reports) aggregate.Apply(PrecinctResult.Compute(election, precinct, tally));
        return aggregate.Statewide();
    }
}

/// <summary>
/// The results snapshot (statewide and every county, serialised to JSON bytes) after one change, with all 2020
/// reports applied: <c>ApplyOnly</c> is one new revision applied; <c>ApplyThenCurrent</c> adds the snapshot
/// build and serialisation that the next read triggers. The difference is the snapshot's cost.
/// </summary>
[MemoryDiagnoser]
public class Snapshot
{
    private ResultsState state = null!;
    private PrecinctResult[] alternates = [];
    private long seq;
    private int revision = 1;

    [GlobalSetup]
    public void Setup()
    {
        var election = Iowa.Election;
        state = new ResultsState(election, TimeProvider.System, test: false);
        var results = election.Precincts.Where(p => Iowa.Tallies.ContainsKey(p.Id)).Select(p => PrecinctResult.Compute(election, p, Iowa.Tallies[p.Id])).ToArray();
        state.Apply(results.Select(r => new SourceReport(ReportSource.Official, 1, ++seq, DateTimeOffset.UtcNow, null, r, "bench")));
        _ = state.Current;
        // Alternating between two tallies of one precinct, so every change moves the totals.
        var precinct = results[0].Precinct;
        var tally = results[0].Tally;
        alternates = [results[0], PrecinctResult.Compute(election, precinct, tally.WithAttendees(tally.Attendees + 1))];
    }

    private void Change()
    {
        revision++;
        state.Apply(new SourceReport(ReportSource.Official, revision, ++seq, DateTimeOffset.UtcNow, null, alternates[revision % 2], "bench"));
    }

    [Benchmark(Baseline = true, Description = "Apply one revision")]
    public long ApplyOnly()
    {
        Change();
        return state.Version;
    }

    [Benchmark(Description = "Apply one revision, then build and serialise the snapshot (Current)")]
    public int ApplyThenCurrent()
    {
        Change();
        return state.Current.StatewideJson.Length;
    }
}

/// <summary>A projection update at 50% reporting (a seeded half of the 2020 precincts) with 1,000 draws.</summary>
[MemoryDiagnoser]
public class ProjectionUpdate
{
    private Dictionary<string, Tally> half = [];

    [GlobalSetup]
    public void Setup()
    {
        var ids = Iowa.Tallies.Keys.Order(StringComparer.Ordinal).ToArray();
        new Random(2020).Shuffle(ids);
        half = ids.Take(ids.Length / 2).ToDictionary(id => id, id => Iowa.Tallies[id], StringComparer.Ordinal);
    }

    [Benchmark(Description = "Projector.Project at 50% reporting, 1,000 draws")]
    public ProjectionResult Project() => Projector.Project(Iowa.Election, half, new ProjectionOptions(Draws: 1000));
}

/// <summary>
/// One `results` event fanned out to 1,000 listeners, each an in-memory pipe drained after the write.
/// <c>SharedBytes</c>: the event (header, JSON, blank line) built once and written to every listener;
/// <c>PerListener</c>: as the stream endpoint writes it today (the header formatted per listener, three writes).
/// </summary>
[MemoryDiagnoser]
public class StreamFanOut
{
    private const int Listeners = 1000;
    private readonly Pipe[] pipes = [.. Enumerable.Range(0, Listeners).Select(_ => new Pipe(new PipeOptions(pauseWriterThreshold: 0)))];
    private byte[] json = [];
    private byte[] shared = [];
    private const long Version = 123456;

    [GlobalSetup]
    public void Setup()
    {
        var election = Iowa.Election;
        var state = new ResultsState(election, TimeProvider.System, test: false);
        long seq = 0;
        state.Apply(election.Precincts.Where(p => Iowa.Tallies.ContainsKey(p.Id))
            .Select(p => new SourceReport(ReportSource.Official, 1, ++seq, DateTimeOffset.UtcNow, null, PrecinctResult.Compute(election, p, Iowa.Tallies[p.Id]), "bench")));
        json = state.Current.StatewideJson;
        shared = [.. Encoding.UTF8.GetBytes($"event: results\nid: {Version}\ndata: "), .. json, .. "\n\n"u8];
    }

    [Benchmark(Baseline = true, Description = "1 event to 1,000 listeners: shared pre-built bytes")]
    public async Task<long> SharedBytes()
    {
        long total = 0;
        foreach (var pipe in pipes)
        {
            await pipe.Writer.WriteAsync(shared);
            total += Drain(pipe);
        }
        return total;
    }

    [Benchmark(Description = "1 event to 1,000 listeners: header formatted per listener, three writes")]
    public async Task<long> PerListener()
    {
        long total = 0;
        foreach (var pipe in pipes)
        {
            var stream = pipe.Writer.AsStream(leaveOpen: true);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"event: results\nid: {Version}\ndata: ")));
            await stream.WriteAsync(json);
            await stream.WriteAsync("\n\n"u8.ToArray());
            await stream.FlushAsync();
            total += Drain(pipe);
        }
        return total;
    }

    private static long Drain(Pipe pipe)
    {
        if (!pipe.Reader.TryRead(out var result)) return 0;
        var length = result.Buffer.Length;
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }
}
