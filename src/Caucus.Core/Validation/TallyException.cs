namespace Caucus.Core.Validation;

/// <summary>Input the rules cannot be applied to at all (a negative count, a negative D). Names the field.</summary>
public sealed class TallyException(string field, string message) : ArgumentException(message, field)
{
    public string Field { get; } = field;
}
