namespace Caucus.Core.Model;

/// <summary>A precinct or satellite caucus: <see cref="Delegates"/> is its D, the county delegates it elects.</summary>
public sealed record Precinct(string Id, string County, string Name, int Delegates, PrecinctKind Kind);
