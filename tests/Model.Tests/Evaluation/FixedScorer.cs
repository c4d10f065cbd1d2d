using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

/// <summary>
/// A fake model with a fixed users-by-items score matrix; each call returns a copy of the requested rows, since the
/// evaluator owns (and masks in place) what a scorer returns.
/// </summary>
internal sealed class FixedScorer(torch.Tensor scores) : IRecommenderScorer
{
    public torch.Tensor Scores { get; } = scores;

    public int ItemCount => (int)Scores.shape[1];

    public torch.Tensor Score(ClickMatrix foldIn, int start, int count) => Scores.narrow(0, start, count).clone();

    public static FixedScorer FromRows(params float[][] rows) =>
        new(torch.tensor(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length));
}
