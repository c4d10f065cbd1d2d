using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Evaluation;

/// <summary>
/// A deterministic fake model: score(u, i) = ((u * 7919 + i * 104729) mod 10007) + 20000 * [i in fold-in of u], with u the
/// global user row. For fewer than 10007 items the scores of one user are distinct integers (10007 is prime), so rankings
/// have no ties, and every fold-in item outscores every other item (so a missing fold-in mask would be visible).
/// </summary>
internal sealed class FormulaScorer(int itemCount) : IRecommenderScorer
{
    public const int Modulus = 10007;
    public const int FoldInBonus = 20000;

    public int ItemCount { get; } = itemCount;

    /// <summary>Every (start, count) the evaluator asked for, in order.</summary>
    public List<(int Start, int Count)> Calls { get; } = [];

    /// <summary>The same formula in plain integers, for naive reference implementations.</summary>
    public static long ScoreOf(int user, int item, bool inFoldIn) =>
        ((user * 7919L + item * 104729L) % Modulus) + (inFoldIn ? FoldInBonus : 0);

    public torch.Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        Calls.Add((start, count));
        using var scope = torch.NewDisposeScope();
        var users = torch.arange(start, start + count, dtype: torch.int64).unsqueeze(1);
        var items = torch.arange(0, ItemCount, dtype: torch.int64).unsqueeze(0);
        var scores = (users * 7919L + items * 104729L).remainder(Modulus).to_type(torch.float32);
        var rows = new List<long>();
        var columns = new List<long>();
        for (int b = 0; b < count; b++)
            foreach (int item in foldIn.Row(start + b))
            {
                rows.Add(b);
                columns.Add(item);
            }
        if (rows.Count > 0)
        {
            var bonus = torch.zeros(count, ItemCount);
            bonus.index_put_(torch.tensor((float)FoldInBonus), torch.tensor(rows.ToArray()), torch.tensor(columns.ToArray()));
            scores = scores + bonus;
        }
        return scores.MoveToOuterDisposeScope();
    }
}
