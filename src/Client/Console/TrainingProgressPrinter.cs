using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// Shows training progress on standard error: a live bar on a terminal, one line per epoch when redirected
/// (so logs stay readable). Reports arrive on the training thread, so no synchronisation is needed.
/// </summary>
internal sealed class TrainingProgressPrinter(TextWriter output, bool interactive) : IProgress<TrainingProgress>
{
    private const int BarWidth = 24;

    /// <summary>A printer for this process's standard error.</summary>
    public static TrainingProgressPrinter ForStandardError() =>
        new(System.Console.Error, !System.Console.IsErrorRedirected);

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (!interactive && !value.EpochCompleted) return;
        double fraction = value.Batches == 0 ? 1 : (double)value.Batch / value.Batches;
        int filled = (int)Math.Round(fraction * BarWidth);
        // The client runs with invariant globalization, so numbers always print with a dot.
        var line =
            $"epoch {value.Epoch}/{value.Epochs} [{new string('#', filled)}{new string('.', BarWidth - filled)}] " +
            $"batch {value.Batch}/{value.Batches} loss {value.Loss:F2}" + (value.Beta is { } beta ? $" beta {beta:F4}" : "") +
            (value.LastValidationNdcg100 is { } v ? $" val NDCG@100 {v:F4}" : "") +
            (value.BestValidationNdcg100 is { } b ? $" (best {b:F4})" : "") +
            $" elapsed {Format(value.Elapsed)}" + (value.Remaining is { } r ? $" ETA {Format(r)}" : "");
        if (interactive)
        {
            output.Write("\r" + line.PadRight(Math.Max(0, SafeWidth() - 1)));
            if (value.EpochCompleted) output.WriteLine();
        }
        else
        {
            output.WriteLine(line);
        }
    }

    private static int SafeWidth()
    {
        try { return System.Console.WindowWidth; } catch (IOException) { return 120; }
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s" : $"{t.TotalSeconds:F0}s";
}
