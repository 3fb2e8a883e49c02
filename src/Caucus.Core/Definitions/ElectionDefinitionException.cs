namespace Caucus.Core.Definitions;

/// <summary>An election folder that cannot be loaded, with the file, the line (0 when not about a line) and the reason.</summary>
public sealed class ElectionDefinitionException(string file, int line, string reason)
    : Exception(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}
