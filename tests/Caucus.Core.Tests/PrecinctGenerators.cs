using System.Collections.Immutable;
using Caucus.Core.Model;
using CsCheck;

namespace Caucus.Core.Tests;

/// <summary>
/// The shape of a precinct before its D is known: attendance, first alignment and what each
/// first-alignment group's members do in realignment. <see cref="Realign"/> turns it into a tally
/// that respects RULES.md "Alignment" for a given D.
/// </summary>
internal sealed record PrecinctShape(int Attendees, int[] First, int[] Destination, int[] MovePermille)
{
    public int GroupCount => First.Length;

    public override string ToString() =>
        $"A={Attendees} first=[{string.Join(",", First)}] dest=[{string.Join(",", Destination)}] move=[{string.Join(",", MovePermille)}]";
}

/// <summary>A well-formed precinct: D and a tally produced by a realignment the rules allow.</summary>
internal sealed record GeneratedPrecinct(int Delegates, int Attendees, ImmutableArray<string> Names, int[] First, int[] Final)
{
    public Tally ToTally() => ToTally(Names);

    /// <summary>The same counts under other names (group i is called <paramref name="names"/>[i]).</summary>
    public Tally ToTally(IReadOnlyList<string> names) =>
        Tally.Create(Attendees,
            First.Select((n, i) => KeyValuePair.Create(names[i], n)),
            Final.Select((n, i) => KeyValuePair.Create(names[i], n)));

    public IReadOnlyDictionary<string, int> FinalByName => Names.Select((n, i) => (n, Final[i])).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);

    public override string ToString() =>
        $"D={Delegates} A={Attendees} " + string.Join(" ", Names.Select((n, i) => $"{n}:{First[i]}->{Final[i]}"));
}

internal static class PrecinctGenerators
{
    public static readonly ImmutableArray<string> Names =
        ["Biden", "Buttigieg", "Klobuchar", "Sanders", "Steyer", "Uncommitted", "Warren", "Yang"];

    /// <summary>Small attendances most of the time: exact ties between fractions need them.</summary>
    public static readonly Gen<int> Attendance = Gen.Frequency(
        (3, Gen.Int[1, 40]),
        (2, Gen.Int[1, 200]),
        (1, Gen.Int[1, 2000]));

    public static readonly Gen<PrecinctShape> Shape =
        Gen.Select(Attendance, Gen.Int[1, 8]).SelectMany(t =>
        {
            var (a, k) = t;
            return Gen.Select(
                Gen.Int[0, a].Array[k - 1],
                Gen.Int[0, k].Array[k],
                Gen.Frequency((2, (IGen<int>)Gen.Const(1000)), (1, Gen.Int[0, 1000])).Array[k],
                (cuts, dest, move) => new PrecinctShape(a, Composition(a, cuts), dest, move));
        });

    public static readonly Gen<int> Delegates = Gen.Frequency(
        (2, Gen.Int[1, 4]),
        (3, Gen.Int[0, 40]));

    public static readonly Gen<GeneratedPrecinct> Precinct =
        Gen.Select(Delegates, Shape, Realign);

    /// <summary>Precincts with D ≥ 1 (the generator already guarantees a viable final group).</summary>
    public static readonly Gen<GeneratedPrecinct> ElectingPrecinct =
        Gen.Select(Gen.Frequency((2, Gen.Int[1, 4]), (3, Gen.Int[1, 40])), Shape, Realign);

    /// <summary>RULES.md "Viability threshold", written out again here (integers only).</summary>
    public static int Threshold(int d, int a) => d switch
    {
        1 => 0,
        2 => (a + 3) / 4,
        3 => (a + 5) / 6,
        _ => (int)((15L * a + 99) / 100),
    };

    /// <summary>
    /// RULES.md "Alignment": viable first groups keep their members (and may gain); each non-viable
    /// group sends some of its members to one destination (a viable group, another non-viable group
    /// they combine with, or out of the room) and the rest leave; a combined group that is still not
    /// viable breaks up and its members leave. If no group at all was viable, everyone combines into
    /// the largest group (which then holds everyone and is viable).
    /// </summary>
    public static GeneratedPrecinct Realign(int d, PrecinctShape s)
    {
        var k = s.GroupCount;
        var t = Threshold(d, s.Attendees);
        var viableFirst = s.First.Select(n => n > 0 && n >= t).ToArray();
        var final = new int[k];
        for (var i = 0; i < k; i++)
        {
            if (viableFirst[i]) final[i] += s.First[i];
        }
        for (var i = 0; i < k; i++)
        {
            if (viableFirst[i] || s.First[i] == 0) continue;
            var dest = s.Destination[i];
            if (dest == k || dest == i) continue; // they all leave
            final[dest] += (int)((long)s.First[i] * s.MovePermille[i] / 1000);
        }
        for (var i = 0; i < k; i++)
        {
            if (!viableFirst[i] && final[i] > 0 && final[i] < t) final[i] = 0;
        }
        if (!final.Any(n => n > 0 && n >= t))
        {
            Array.Clear(final);
            var largest = Array.IndexOf(s.First, s.First.Max());
            final[largest] = s.Attendees;
        }
        return new GeneratedPrecinct(d, s.Attendees, Names[..k], s.First, final);
    }

    private static int[] Composition(int total, int[] cuts)
    {
        var points = cuts.Append(0).Append(total).Order().ToArray();
        return [.. points.Zip(points.Skip(1), (x, y) => y - x)];
    }

    /// <summary>Arbitrary, possibly malformed tallies: negatives, zeros, final above attendance, counts up to int.MaxValue.</summary>
    public static readonly Gen<int> AnyCount = Gen.Frequency(
        (4, Gen.Int[0, 50]),
        (2, Gen.Int[0, 5000]),
        (1, Gen.Int[int.MaxValue - 10, int.MaxValue]),
        (1, Gen.Int),
        (1, Gen.Int[-3, -1]));

    public static readonly Gen<(int Delegates, Tally Tally)> AnyTally =
        Gen.Select(AnyCount, AnyCount, Gen.Int[0, 8]).SelectMany(t =>
            Gen.Select(AnyCount.Array[t.Item3], AnyCount.Array[t.Item3], Gen.Bool, AnyCount.Array[t.Item3],
                (first, final, withReported, reported) => (t.Item1, Tally.Create(t.Item2,
                    first.Select((n, i) => KeyValuePair.Create(Names[i], n)),
                    final.Select((n, i) => KeyValuePair.Create(Names[i], n)),
                    withReported ? reported.Select((n, i) => KeyValuePair.Create(Names[i], n)) : null))));
}
