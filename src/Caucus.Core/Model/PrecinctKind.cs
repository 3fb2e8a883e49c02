namespace Caucus.Core.Model;

public enum PrecinctKind
{
    /// <summary>An in-state precinct caucus: SDEs are its delegates times SD/CD of its county.</summary>
    Precinct,

    /// <summary>A satellite caucus: weighted inside its satellite county (RULES.md, "Satellite caucuses").</summary>
    Satellite,
}
