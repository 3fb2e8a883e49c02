using System.Globalization;
using Caucus.Core.Rules.WalkingSubcaucus;
using Caucus.Core.Text;
using Caucus.Core.Validation;

namespace Caucus.Cli.Commands;

/// <summary>
/// `caucus allocate` under the walking subcaucus: the final count as CSV (precinct,delegates,subcaucus,members), one
/// row per subcaucus, out precinct,subcaucus,members,delegates. Equal remainders for the last delegates need a lot:
/// with <c>--seed</c> it is drawn reproducibly (SubCalc's way) and each lot is reported on stderr with who won and who
/// lost; without, the precinct is reported on stderr and its tied seats are in no one's delegates.
/// </summary>
public static class SubcaucusAllocateCsv
{
    public const string InputHeader = "precinct,delegates,subcaucus,members";
    public const string OutputHeader = "precinct,subcaucus,members,delegates";

    public static int Run(string text, TextWriter output, TextWriter error, ulong? seed)
    {
        var precincts = new Dictionary<string, (int Delegates, List<(string Name, int Members)> Count, int Line)>(StringComparer.Ordinal);
        var bad = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in Csv.Parse(text).Skip(1))
        {
            var f = record.Fields;
            if (f.Count != 4)
            {
                error.WriteLine($"line {record.Line}: expected 4 fields ({InputHeader}), found {f.Count}");
                if (f.Count > 0) bad.Add(f[0].Trim());
                continue;
            }
            var precinct = f[0].Trim();
            var name = f[2].Trim();
            if (!int.TryParse(f[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var delegates)
                || !int.TryParse(f[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var members))
            {
                error.WriteLine($"line {record.Line}: delegates and members must be whole numbers of 0 or more ('{f[1]}', '{f[3]}')");
                bad.Add(precinct);
                continue;
            }
            if (!precincts.TryGetValue(precinct, out var p)) precincts[precinct] = p = (delegates, [], record.Line);
            if (p.Delegates != delegates)
            {
                error.WriteLine($"line {record.Line}: {precinct} elects {p.Delegates} on line {p.Line}, not {delegates}");
                bad.Add(precinct);
            }
            p.Count.Add((name, members));
        }

        output.WriteLine(OutputHeader);
        foreach (var (precinct, p) in precincts)
        {
            if (bad.Contains(precinct))
            {
                error.WriteLine($"precinct {precinct}: not computed because one of its rows is malformed");
                continue;
            }
            SubcaucusAllocation result;
            try
            {
                result = SubcaucusAllocator.Allocate(p.Delegates, p.Count, seed is { } s ? SubcaucusLot.FromSeed(s) : null);
            }
            catch (TallyException e)
            {
                error.WriteLine($"precinct {precinct}: {e.Field}: {e.Message}");
                bad.Add(precinct);
                continue;
            }
            if (result.NoneViable) error.WriteLine($"precinct {precinct}: no subcaucus reached the viability number of {result.ViabilityNumber}");
            foreach (var lot in result.Lots)
                error.WriteLine($"precinct {precinct}: lot for {lot.Seats} delegate(s) among {string.Join(", ", lot.Tied)}: won {string.Join(", ", lot.Won)}; lost {string.Join(", ", lot.Lost)}");
            if (result.PendingLot is { } pending)
                error.WriteLine($"precinct {precinct}: a lot must decide {pending.Seats} delegate(s) among {string.Join(", ", pending.Tied)} (give --seed, or draw it)");
            foreach (var s in result.Subcaucuses)
                output.WriteLine(Csv.Line(precinct, s.Name, s.Members.ToString(CultureInfo.InvariantCulture), s.Delegates.ToString(CultureInfo.InvariantCulture)));
        }
        output.Flush();
        return bad.Count == 0 ? 0 : 1;
    }
}
