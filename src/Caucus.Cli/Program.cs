using System.CommandLine;
using Caucus.Cli.Commands;

var root = new RootCommand("caucus: caucus-night results from the command line")
{
    AllocateCommand.Create(),
    VerifyCommand.Create(),
};
return root.Parse(args).Invoke();
