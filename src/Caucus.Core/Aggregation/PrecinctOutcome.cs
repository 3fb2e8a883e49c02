using System.Collections.Immutable;
using Caucus.Core.Allocation;
using Caucus.Core.Arithmetic;
using Caucus.Core.Model;

namespace Caucus.Core.Aggregation;

/// <summary>One outcome of a precinct's pending game of chance, for its page: the tie-breaks, the allocation and each group's SDEs.</summary>
public sealed record PrecinctOutcome(
    ImmutableArray<TieBreak> TieBreaks,
    PrecinctAllocation Allocation,
    ImmutableSortedDictionary<string, Rational> Sdes);
