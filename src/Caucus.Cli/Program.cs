using System.CommandLine;
using Caucus.Cli.Commands;

var root = new RootCommand("caucus: caucus-night results from the command line")
{
    AllocateCommand.Create(),
    VerifyCommand.Create(),
    SubmitCommand.Create(),
    TokensCommand.Create(),
    BacktestCommand.Create(),
    ExportCommand.Create(),
    ElectionCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
