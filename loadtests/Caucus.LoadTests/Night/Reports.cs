using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Caucus.LoadTests.Night;

/// <summary>An acknowledged report: which precinct, its key and revision, and when the runner got the 201 (Stopwatch ticks).</summary>
public sealed record Ack(string Precinct, string Key, int Revision, long AckTicks, string Kind);

/// <summary>The election as the API lists it, and the report bodies this run sends (seeded tallies).</summary>
public sealed class Election
{
    public required string[] Candidates { get; init; }
    public required string[] Precincts { get; init; }

    public static async Task<Election> LoadAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var election = JsonDocument.Parse(await client.GetStringAsync("api/v1/election", cancellationToken));
        using var precincts = JsonDocument.Parse(await client.GetStringAsync("api/v1/precincts", cancellationToken));
        var e = new Election
        {
            Candidates = [.. election.RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()!)],
            Precincts = [.. precincts.RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetString()!)],
        };
        if (e.Precincts.Length == 0 || e.Candidates.Length < 2) throw new InvalidOperationException("The API lists no precincts or candidates.");
        return e;
    }

    /// <summary>
    /// A plausible precinct: 8–320 attendees over 2–6 groups; groups under 15% realign to a viable one in the
    /// final alignment (a few go home), or everyone joins the largest group if none is viable.
    /// </summary>
    public string Body(Random random, string source, string? note = null)
    {
        var attendees = random.Next(8, 321);
        var groups = Candidates.ToArray();
        random.Shuffle(groups);
        groups = groups[..random.Next(2, Math.Min(6, groups.Length) + 1)];
        var weights = groups.Select(_ => random.NextDouble() + 0.05).ToArray();
        var sum = weights.Sum();
        var first = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var left = attendees;
        for (var i = 0; i < groups.Length; i++)
        {
            var n = i == groups.Length - 1 ? left : Math.Min(left, (int)Math.Round(attendees * weights[i] / sum));
            first[groups[i]] = n;
            left -= n;
        }
        var threshold = Math.Ceiling(attendees * 0.15);
        var viable = first.Where(g => g.Value >= threshold).Select(g => g.Key).ToList();
        if (viable.Count == 0) viable.Add(first.MaxBy(g => g.Value).Key);
        var final = viable.ToDictionary(g => g, g => first[g], StringComparer.Ordinal);
        foreach (var (group, n) in first.Where(g => !viable.Contains(g.Key)))
        {
            final[viable[random.Next(viable.Count)]] += n - random.Next(0, Math.Max(1, n / 5));
        }
        var document = new Dictionary<string, object>
        {
            ["attendees"] = attendees,
            ["first"] = first,
            ["final"] = new SortedDictionary<string, int>(final, StringComparer.Ordinal),
            ["source"] = source,
        };
        if (note is not null) document["note"] = note;
        return JsonSerializer.Serialize(document);
    }
}

/// <summary>
/// Sends reports and keeps what was acknowledged, for the checks and the stream delays. With a client per API
/// instance, each precinct's reports go to one of them (<see cref="Instances.Of"/>).
/// </summary>
public sealed class ReportSender(params HttpClient[] clients)
{
    public ConcurrentBag<Ack> Acks { get; } = [];

    public sealed record Sent(HttpStatusCode Status, int? Revision, bool Replayed, string? DoubleEntry, long AckTicks);

    public async Task<Sent> PostAsync(string precinct, string key, string body, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/precincts/{Uri.EscapeDataString(precinct)}/reports")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var client = clients[Instances.Of(precinct, clients.Length)];
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var at = Stopwatch.GetTimestamp();
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true");
        if (response.StatusCode != HttpStatusCode.Created) return new(response.StatusCode, null, replayed, null, at);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            var doubleEntry = root.TryGetProperty("doubleEntry", out var d) && d.ValueKind == JsonValueKind.Object ? d.GetProperty("status").GetString() : null;
            return new(response.StatusCode, root.GetProperty("revision").GetInt32(), replayed, doubleEntry, at);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new(response.StatusCode, null, replayed, null, at);
        }
    }
}
