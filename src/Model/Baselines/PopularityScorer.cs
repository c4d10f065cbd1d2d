using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// The popularity baseline: every user gets the same ranking, <c>score(u, i) = |{v ∈ train : X_vi = 1}|</c>,
/// the number of training users who clicked item i. It ignores the fold-in clicks entirely, so it is the floor
/// any personalised model must clear. It has no settings, hence no options type.
/// </summary>
public sealed class PopularityScorer : IRecommenderScorer, IDisposable
{
    private readonly Tensor _counts;

    private PopularityScorer(Tensor counts, int itemCount)
    {
        _counts = counts;
        ItemCount = itemCount;
    }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <summary>Counts the training clicks of each item (one pass over the stored clicks).</summary>
    public static PopularityScorer Fit(ClickMatrix train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var counts = train.ColumnCounts();
        var asFloat = new float[counts.Length];
        for (int i = 0; i < counts.Length; i++) asFloat[i] = counts[i];
        var tensor = torch.tensor(asFloat, new long[] { 1, counts.Length });
        // Detach from any scope the caller has open: the scorer owns the tensor until it is disposed.
        tensor.DetachFromDisposeScope();
        return new PopularityScorer(tensor, train.ColumnCount);
    }

    /// <summary>The same popularity row for every requested user: a float32 [count, ItemCount] tensor.</summary>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        BaselineTensors.CheckScoreArguments(foldIn, start, count, ItemCount);
        using var scope = NewDisposeScope();
        return _counts.repeat(count, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the native counts tensor.</summary>
    public void Dispose() => _counts.Dispose();
}
