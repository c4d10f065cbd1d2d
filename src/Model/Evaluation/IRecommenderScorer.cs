using TorchSharp;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Evaluation;

/// <summary>
/// Anything that ranks items for users from their fold-in clicks: Mult-VAE, Mult-DAE and every baseline.
/// The evaluator calls it one batch of users at a time, so no full users-by-items matrix is ever held.
/// </summary>
public interface IRecommenderScorer
{
    /// <summary>Number of items scored (columns of the fold-in matrix).</summary>
    int ItemCount { get; }

    /// <summary>
    /// Scores of every item for rows [start, start + count) of <paramref name="foldIn"/>, as a float32 tensor of
    /// shape [count, ItemCount] on the CPU or the scorer's device (the ranking runs where the scores are); higher is
    /// better. The caller owns (and disposes) the result.
    /// The caller may modify the returned tensor in place (the evaluator masks fold-in items with −∞), so return a
    /// fresh tensor, never a view of one you keep. Must not depend on how users are batched.
    /// </summary>
    torch.Tensor Score(ClickMatrix foldIn, int start, int count);
}
