using VaeCfCluster.Model;
using VaeCfCluster.Client.Console;
using System.CommandLine;
using VaeCfCluster.Client.Commands;

namespace VaeCfCluster.Client;

/// <summary>The <c>vaecf</c> command tree.</summary>
internal static class CommandLineApplication
{
    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        // LibTorch from a folder (VAECF_LIBTORCH, e.g. an installed PyTorch's torch/lib) is loaded before anything
        // touches a tensor; a folder that cannot serve is one line and exit code 2.
        try
        {
            if (LibTorchFolder.LoadFromEnvironment() is { } libTorch)
            {
                System.Console.Error.WriteLine($"libtorch: {libTorch.Version} from {LibTorchFolder.Loaded}");
                if (libTorch.Warning is { } warning) System.Console.Error.WriteLine($"warning: {warning}");
            }
        }
        catch (ArgumentException e)
        {
            System.Console.Error.WriteLine($"error: {e.Message}");
            return CommandRunner.InputError;
        }
        var root = new RootCommand(
            "VaeCfCluster: variational autoencoders for collaborative filtering (Liang et al., WWW 2018).\n" +
            "Train Mult-VAE^PR, Mult-DAE and RecVAE on implicit feedback, in this process or on an Orleans cluster;\n" +
            "evaluate them under strong generalization (Recall@20, Recall@50, NDCG@100), compare and tune them against\n" +
            "the paper's baselines, and recommend items. 'vaecf COMMAND --help' explains a command.")
        {
            TrainCommand.Create(),
            StatusCommand.Create(),
            EvaluateCommand.Create(),
            RecommendCommand.Create(),
            BaselineCommand.Create(),
            ExperimentCommand.Create(),
            TuneCommand.Create(),
            DataCommand.Create(),
        };
        HelpText.UseLowerCaseValueNames(root);
        // No command at all is a request for help, not a mistake.
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Action is System.CommandLine.Help.HelpAction) return HelpText.Show(parsed);
        if (parsed.Errors.Count == 0) return parsed.Invoke();
        // A mistyped option or value is one line per error and exit code 2, as other bad input is, not the whole help.
        foreach (var error in parsed.Errors) System.Console.Error.WriteLine($"error: {ParseErrorMessage.Of(error)}");
        var name = string.Join(' ', new[] { "vaecf" }.Concat(CommandPath(parsed.CommandResult)));
        System.Console.Error.WriteLine($"('{name} --help' lists the options)");
        return CommandRunner.InputError;
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult) names.Insert(0, r.Command.Name);
        return names;
    }
}
