using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Reports;

/// <summary>What a report states about how it was made.</summary>
/// <param name="DataDescription">The data set and where it was read from.</param>
/// <param name="Settings">Every setting of the studies.</param>
/// <param name="SplitSeed">Seed of the strong-generalization split (and of Table 3's held-out items and negatives).</param>
/// <param name="Started">When the command started.</param>
/// <param name="WallTime">Wall time of this invocation (runs finished earlier are not in it; the per-study times are).</param>
/// <param name="Runner">Where the autoencoders trained.</param>
/// <param name="CommandLine">The command as given.</param>
internal sealed record ReportContext(string DataDescription, ExperimentSettings Settings, ulong SplitSeed, DateTimeOffset Started,
    TimeSpan WallTime, string Runner, string CommandLine);
