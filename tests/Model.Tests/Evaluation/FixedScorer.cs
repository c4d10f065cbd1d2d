using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

/// <summary>
/// A fake model with a fixed users-by-items score matrix. It returns row views of the matrix it keeps (not copies), so a
/// test can check the evaluator never writes into a scorer's tensors.
/// </summary>
internal sealed class FixedScorer(torch.Tensor scores) : IRecommenderScorer
{
    public torch.Tensor Scores { get; } = scores;

    public int ItemCount => (int)Scores.shape[1];

    public torch.Tensor Score(ClickMatrix foldIn, int start, int count) => Scores.narrow(0, start, count);

    public static FixedScorer FromRows(params float[][] rows) =>
        new(torch.tensor(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length));
}
