using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// A split ready for training, with a short name for output folders and a one-line description; for data read from a
/// source (not a prepared split folder) also the preprocessed clicks, the source, and the split seed.
/// </summary>
internal sealed record LoadedData(DataSplit Split, string Name, string Description, int DefaultEpochs, ClickDataSet? Clicks = null,
    DataSource? Source = null, ulong SplitSeed = 0);
