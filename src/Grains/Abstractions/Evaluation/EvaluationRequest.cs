namespace VaeCfCluster.Grains.Abstractions.Evaluation;

/// <summary>Which users to score with which parameters and metrics ("ndcg@100", "recall@20", ...).</summary>
[GenerateSerializer, Immutable, Alias("vaecf.EvaluationRequest")]
public sealed record EvaluationRequest(
    [property: Id(0)] int Generation,
    [property: Id(1)] string Set,
    [property: Id(2)] long[] ShardVersions,
    [property: Id(3)] string[] Metrics,
    [property: Id(4)] int BatchSize);
