using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Commands;

/// <summary>A split ready for training, with a short name for output folders and a one-line description.</summary>
internal sealed record LoadedData(DataSplit Split, string Name, string Description, int DefaultEpochs);
