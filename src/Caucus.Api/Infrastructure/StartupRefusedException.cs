namespace Caucus.Api.Infrastructure;

/// <summary>
/// The command line or the configuration asks for something this instance cannot serve (an election that is not
/// shipped, a demo of an election with no published night): Program.cs prints the message, without a stack trace,
/// and exits with code 2 before anything listens.
/// </summary>
public sealed class StartupRefusedException(string message) : Exception(message);
