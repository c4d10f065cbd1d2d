using System.Globalization;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Console;

/// <summary>What the command line says about early stopping (<see cref="TrainerOptions.Patience"/>) after a finished run.</summary>
internal static class EarlyStop
{
    /// <summary>Whether a finished (not cancelled) run of <paramref name="epochsRun"/> epochs was ended by early stopping.</summary>
    public static bool StoppedEarly(TrainerOptions options, int epochsRun) => options.Patience > 0 && epochsRun < options.Epochs;

    /// <summary>One line when the run stopped early; nothing otherwise.</summary>
    public static void Report(TextWriter output, TrainerOptions options, int epochsRun, int bestEpoch)
    {
        if (!StoppedEarly(options, epochsRun)) return;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stopped early after epoch {epochsRun} of {options.Epochs}: no better validation NDCG@100 for {options.Patience} epochs since epoch {bestEpoch}"));
    }
}
