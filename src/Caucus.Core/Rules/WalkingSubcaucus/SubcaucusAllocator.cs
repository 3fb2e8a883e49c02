using System.Collections.Immutable;
using Caucus.Core.Arithmetic;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.WalkingSubcaucus;

/// <summary>
/// The Minnesota DFL walking subcaucus (shared/rules/walking-subcaucus.md, SubCalc's reading), on one count, exact.
/// Viability number: all members ÷ delegates, rounded up. On the count: the subcaucuses at or above it are viable; the
/// divisor is their members ÷ delegates (a fraction, not three decimals); each gets the whole part of members ÷ divisor,
/// the delegates left go one each by largest remainder, and a subcaucus below 1 gets none. Equal remainders for the
/// last delegates go by the recorded lot or seed. Pure and total: an allocation, or a <see cref="TallyException"/>.
/// </summary>
public static class SubcaucusAllocator
{
    public static SubcaucusAllocation Allocate(int delegates, IReadOnlyList<(string Name, int Members)> count, SubcaucusLot? lot = null)
    {
        ArgumentNullException.ThrowIfNull(count);
        if (delegates < 1) throw new TallyException("delegates", $"A precinct elects at least one delegate; {delegates} given.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count.Count; i++)
        {
            var (name, members) = count[i];
            if (string.IsNullOrWhiteSpace(name)) throw new TallyException($"subcaucuses[{i}].name", "A subcaucus needs a name.");
            if (!names.Add(name.Trim())) throw new TallyException($"subcaucuses[{i}].name", $"\"{name}\" is named twice (names are compared without case).");
            if (members < 0) throw new TallyException($"subcaucuses[{i}].members", $"{name}: {members} members; a count is zero or more.");
        }
        var total = count.Sum(s => s.Members);
        if (total == 0) throw new TallyException("subcaucuses", "No one is counted in any subcaucus.");

        var viability = (int)new Rational(total, delegates).Ceiling();
        var viable = count.Where(s => s.Members >= viability).ToList();
        if (viable.Count == 0)
        {
            return new(delegates, total, viability, null,
                [.. count.Select(s => new SubcaucusResult(s.Name, s.Members, false, Rational.Zero, 0))], [], null);
        }

        var divisor = new Rational(viable.Sum(s => s.Members), delegates);
        var quotients = viable.ToDictionary(s => s.Name, s => new Rational(s.Members, 1) / divisor, StringComparer.Ordinal);
        // Below 1 on the final count: none, not even by remainder.
        var award = quotients.ToDictionary(q => q.Key, q => q.Value < Rational.One ? 0 : (int)q.Value.Floor(), StringComparer.Ordinal);
        var left = delegates - award.Values.Sum();
        var lots = ImmutableArray.CreateBuilder<LotOutcome>();
        LotOutcome? pending = null;
        foreach (var group in quotients.Where(q => q.Value >= Rational.One).GroupBy(q => q.Value.FractionalPart).OrderByDescending(g => g.Key))
        {
            if (left == 0) break;
            var tied = group.Select(q => q.Key).ToList();
            if (tied.Count <= left)
            {
                foreach (var name in tied) award[name] += 1;
                left -= tied.Count;
                continue;
            }
            var ranked = lot?.Rank(tied);
            if (ranked is null)
            {
                pending = new LotOutcome([.. tied], left, [], []);
                break;
            }
            var won = ranked.Take(left).ToList();
            foreach (var name in won) award[name] += 1;
            lots.Add(new LotOutcome([.. tied], left, [.. won], [.. ranked.Skip(left)]));
            left = 0;
        }

        return new(delegates, total, viability, divisor,
            [.. count.Select(s => award.TryGetValue(s.Name, out var d)
                ? new SubcaucusResult(s.Name, s.Members, true, quotients[s.Name], d)
                : new SubcaucusResult(s.Name, s.Members, false, Rational.Zero, 0))],
            lots.ToImmutable(), pending);
    }
}
