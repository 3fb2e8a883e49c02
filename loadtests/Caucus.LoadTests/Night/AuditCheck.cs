using System.Text.Json;

namespace Caucus.LoadTests.Night;

/// <summary>One check after a phase: what was checked, whether it held, and the first few counter-examples.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail);

/// <summary>
/// Reads back through the API what the run was told it stored: for every precinct it reported to, the audit
/// trail (GET /api/v1/audit/precincts/{id}) must hold each acknowledged key exactly once, with the revision the
/// 201 gave, and no other revision under this run's keys (so no duplicate retry was stored twice). Gives each
/// acknowledged report its commit seq, which the stream delays need.
/// </summary>
public static class AuditCheck
{
    public static async Task<(CheckResult Check, Dictionary<string, long> SeqByKey)> RunAsync(HttpClient client, IReadOnlyCollection<Ack> acks, IReadOnlySet<string> allAcked, string runId,
        string label, CancellationToken cancellationToken)
    {
        var byPrecinct = acks.GroupBy(a => a.Precinct).ToList();
        var seqByKey = new Dictionary<string, long>(StringComparer.Ordinal);
        var problems = new List<string>();
        var gate = new Lock();
        await Parallel.ForEachAsync(byPrecinct, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync($"api/v1/audit/precincts/{Uri.EscapeDataString(group.Key)}", ct));
            var stored = doc.RootElement.GetProperty("revisions").EnumerateArray()
                .Select(r => (Key: r.TryGetProperty("idempotencyKey", out var k) ? k.GetString() : null, Revision: r.GetProperty("revision").GetInt32(), Seq: r.GetProperty("seq").GetInt64()))
                .Where(r => r.Key is not null && r.Key.StartsWith(runId + "-", StringComparison.Ordinal))
                .ToList();
            var wanted = group.ToList();
            var local = new List<string>();
            foreach (var ack in wanted)
            {
                var matches = stored.Where(r => r.Key == ack.Key).ToList();
                if (matches.Count != 1) local.Add($"{group.Key}: key {ack.Key} stored {matches.Count} times");
                else if (matches[0].Revision != ack.Revision) local.Add($"{group.Key}: key {ack.Key} stored as revision {matches[0].Revision}, acknowledged as {ack.Revision}");
            }
            foreach (var r in stored.Where(r => !allAcked.Contains(r.Key!)))
            {
                local.Add($"{group.Key}: key {r.Key} stored as revision {r.Revision} without a 201");
            }
            var phaseKeys = wanted.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            lock (gate)
            {
                problems.AddRange(local);
                foreach (var r in stored)
                {
                    if (phaseKeys.Contains(r.Key!)) seqByKey[r.Key!] = r.Seq;
                }
            }
        });
        var check = new CheckResult($"{label}: every acknowledged report stored exactly once with its revision, nothing unacknowledged",
            problems.Count == 0,
            problems.Count == 0
                ? $"{acks.Count} acknowledged reports in {byPrecinct.Count} precincts read back from the audit trail: each key once, with the acknowledged revision; no other revision under this run's keys."
                : $"{problems.Count} problems, e.g. {string.Join("; ", problems.Take(5))}");
        return (check, seqByKey);
    }

    /// <summary>The results say every precinct is reporting, and the hotline precincts count (double entry confirmed).</summary>
    public static async Task<IReadOnlyList<CheckResult>> ReportingAsync(HttpClient client, IReadOnlyCollection<string> hotline, CancellationToken cancellationToken)
    {
        using var results = JsonDocument.Parse(await client.GetStringAsync("api/v1/results", cancellationToken));
        var p = results.RootElement.GetProperty("precincts");
        int reporting = p.GetProperty("reporting").GetInt32(), total = p.GetProperty("total").GetInt32();
        using var list = JsonDocument.Parse(await client.GetStringAsync("api/v1/precincts", cancellationToken));
        var notCounted = list.RootElement.EnumerateArray()
            .Where(x => hotline.Contains(x.GetProperty("id").GetString()!) && !(x.TryGetProperty("reported", out var r) && r.ValueKind == JsonValueKind.True))
            .Select(x => x.GetProperty("id").GetString()!).ToList();
        return
        [
            new CheckResult("every precinct and satellite reporting in /api/v1/results", reporting == total, $"{reporting} of {total} reporting."),
            new CheckResult("hotline precincts count once the second operator confirmed", notCounted.Count == 0,
                notCounted.Count == 0 ? $"All {hotline.Count} hotline precincts reported." : $"{notCounted.Count} not reported, e.g. {string.Join(", ", notCounted.Take(5))}"),
        ];
    }
}
