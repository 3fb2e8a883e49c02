using Caucus.Core.Arithmetic;

namespace Caucus.Core.Allocation;

/// <summary>One preference group's result in a precinct. <see cref="Raw"/> is final × D / A, null when not viable.</summary>
public sealed record GroupAllocation(string Group, int First, int Final, bool Viable, Rational? Raw, int Delegates);
