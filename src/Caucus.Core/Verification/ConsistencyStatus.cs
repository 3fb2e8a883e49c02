namespace Caucus.Core.Verification;

public enum ConsistencyStatus
{
    /// <summary>The reported delegates are the ones the rules give.</summary>
    Consistent,

    /// <summary>They are the ones the rules give under one outcome of a game of chance the rules call for.</summary>
    TieConsistent,

    /// <summary>No reading of the rules gives them.</summary>
    Inconsistent,
}

public static class ConsistencyStatusNames
{
    public static string Slug(this ConsistencyStatus status) => status switch
    {
        ConsistencyStatus.Consistent => "consistent",
        ConsistencyStatus.TieConsistent => "tie-consistent",
        _ => "inconsistent",
    };
}
