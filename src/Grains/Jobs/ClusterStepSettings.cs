using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// The settings a data-parallel job's steps need beyond its plan: each shard's Adam settings and weight decay λ (on
/// weight matrices), the evaluators' batch size, and for a RecVAE how many of its blocks are the encoder's (0 otherwise).
/// </summary>
internal sealed record ClusterStepSettings(AdamSettings Adam, double WeightDecay, int EvaluationBatchSize, int RecVaeEncoderBlocks = 0);
