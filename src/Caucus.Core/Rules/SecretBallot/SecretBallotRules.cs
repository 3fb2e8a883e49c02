using Caucus.Core.Arithmetic;
using Caucus.Core.Validation;

namespace Caucus.Core.Rules.SecretBallot;

/// <summary>How the statewide quotas become whole delegates (shared/rules/secret-ballot.md).</summary>
public enum DelegateRounding
{
    /// <summary>
    /// Iowa GOP 2024: each quota rounded to the nearest whole number (halves up); too few, one more to the candidate
    /// nearest to rounding up; too many, one fewer from the candidate furthest from it; repeated until the total is right.
    /// </summary>
    NearestWithAdjustment,

    /// <summary>Iowa GOP 2016: each quota's whole part, the delegates left one each by largest remainder.</summary>
    LargestRemainder,
}

/// <summary>
/// A secret-ballot contest's parameters, from the election folder: how many national delegates, the share a candidate
/// needs (strictly more than it, as "over 15%" reads; none when null), whether more than half of the statewide vote
/// takes every delegate, and the rounding. <paramref name="Unallocated"/> names the tallies that are counted but can
/// never take a delegate (Iowa GOP 2024's aggregate "Other").
/// </summary>
public sealed record SecretBallotRules(int Delegates, Rational? Threshold, bool MajorityTakesAll, DelegateRounding Rounding,
    IReadOnlySet<string> Unallocated)
{
    public SecretBallotRules(int delegates, Rational? threshold, bool majorityTakesAll, DelegateRounding rounding)
        : this(delegates, threshold, majorityTakesAll, rounding, new HashSet<string>(StringComparer.Ordinal))
    {
    }

    /// <summary>Iowa GOP 2024: 40 delegates, no threshold, nearest with adjustment.</summary>
    public static SecretBallotRules IowaGop2024 { get; } = new(40, null, false, DelegateRounding.NearestWithAdjustment,
        new HashSet<string>(["Other"], StringComparer.Ordinal));

    /// <summary>Iowa GOP 2016: 30 delegates, no threshold, largest remainder.</summary>
    public static SecretBallotRules IowaGop2016 { get; } = new(30, null, false, DelegateRounding.LargestRemainder,
        new HashSet<string>(["Other"], StringComparer.Ordinal));

    /// <summary>Idaho GOP 2024: 32 delegates, over 15%, more than half takes all.</summary>
    public static SecretBallotRules IdahoGop2024 { get; } = new(32, new Rational(15, 100), true, DelegateRounding.LargestRemainder);

    /// <summary>Refuses parameters no contest can have, naming the field.</summary>
    public SecretBallotRules Validated()
    {
        if (Delegates < 1) throw new TallyException("delegates", $"A secret ballot elects at least one delegate; {Delegates} given.");
        if (Threshold is { } t && (t.Sign < 0 || t >= Rational.One))
            throw new TallyException("threshold", $"The threshold is a share from 0 up to (not including) 1; {t.ToDecimalString(4)} given.");
        return this;
    }
}
