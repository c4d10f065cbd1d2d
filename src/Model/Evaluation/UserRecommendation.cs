namespace VaeCfCluster.Model.Evaluation;

/// <summary>One row's recommended item columns, best first.</summary>
public sealed record UserRecommendation(int Row, int[] Items);
