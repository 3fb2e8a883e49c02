namespace Caucus.Core.Allocation;

public enum AllocationStatus
{
    /// <summary>The rules alone decide every delegate.</summary>
    Decided,

    /// <summary>A game of chance decided part of it, and its recorded outcome was applied.</summary>
    TieBroken,

    /// <summary>A game of chance decides part of it and no outcome is recorded yet: the allocation is provisional.</summary>
    PendingTieBreak,
}
