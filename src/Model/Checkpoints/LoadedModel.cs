using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>A model read from a model file: the network, its item index and its training summary.</summary>
public sealed record LoadedModel(AutoencoderNetwork Network, IReadOnlyList<string> ItemIds, ModelSummary Summary);
