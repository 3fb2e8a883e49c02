namespace Caucus.Core.Validation;

/// <summary>A named warning about a report, with a sentence a person understands and the group it concerns, if one.</summary>
public sealed record ReportWarning(WarningCode Code, string Message, string? Group = null)
{
    public string Slug => Code.Slug();

    public override string ToString() => $"{Slug}: {Message}";
}
