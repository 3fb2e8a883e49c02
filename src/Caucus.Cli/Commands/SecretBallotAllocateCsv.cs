using System.Globalization;
using Caucus.Core.Rules.SecretBallot;
using Caucus.Core.Text;
using Caucus.Core.Validation;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus allocate --election DIR` for a secret-ballot election: the votes as CSV (unit,candidate,votes: a precinct's or
/// county's count per candidate), summed over the units and allocated statewide under the folder's
/// <c>"secretBallot"</c> parameters, out candidate,votes,delegates in the order of the most votes. A lot still to draw
/// is reported on stderr with its candidates and seats (<c>--lot A,B,…</c> gives its recorded order).
/// </summary>
public static class SecretBallotAllocateCsv
{
    public const string InputHeader = "unit,candidate,votes";
    public const string OutputHeader = "candidate,votes,delegates";

    public static int Run(SecretBallotRules rules, TextReader input, TextWriter output, TextWriter error, IReadOnlyList<string>? lot)
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal);
        var units = new HashSet<(string, string)>();
        var bad = 0;
        var header = true;
        foreach (var record in Csv.Parse(input))
        {
            if (header)
            {
                header = false;
                if (string.Join(',', record.Fields.Select(f => f.Trim())) == InputHeader) continue;
                error.WriteLine($"line {record.Line}: expected the header '{InputHeader}'");
                return 2;
            }
            var f = record.Fields;
            if (f.Count != 3 || f[1].Trim().Length == 0
                || !long.TryParse(f[2].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                error.WriteLine($"line {record.Line}: expected {InputHeader} with a candidate and a whole number of votes");
                bad++;
                continue;
            }
            if (!units.Add((f[0].Trim(), f[1].Trim())))
            {
                error.WriteLine($"line {record.Line}: {f[1].Trim()} is counted twice in unit '{f[0].Trim()}'");
                bad++;
                continue;
            }
            votes[f[1].Trim()] = votes.GetValueOrDefault(f[1].Trim()) + count;
        }
        if (bad > 0)
        {
            error.WriteLine($"{bad} malformed line(s): nothing allocated (a statewide allocation without them would be wrong).");
            return 1;
        }
        SecretBallotAllocation result;
        try
        {
            result = StatewideAllocator.Allocate(rules, votes, lot);
        }
        catch (TallyException e)
        {
            error.WriteLine($"{e.Field}: {e.Message}");
            return 1;
        }
        output.WriteLine(OutputHeader);
        foreach (var (candidate, n) in votes.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal))
            output.WriteLine(Csv.Line(candidate, n.ToString(CultureInfo.InvariantCulture), result.Delegates[candidate].ToString(CultureInfo.InvariantCulture)));
        if (result.MajorityWinner is { } winner) error.WriteLine($"{winner} has more than half of the votes and takes every delegate.");
        if (result.Lot is { } pending)
            error.WriteLine($"a lot must decide {pending.Seats} delegate(s) among {string.Join(", ", pending.Candidates)} (--lot gives its order)");
        output.Flush();
        return 0;
    }
}
