namespace VaeCfCluster.Model.Evaluation.LeaveOneOut;

/// <summary>
/// The sampled negative items of each test user under the leave-one-out protocol: row u holds
/// <see cref="NegativeCount"/> distinct item indices that user u never clicked (He et al. 2017's
/// <c>test.negative</c> file). Stored as one flat row-major array, a CSR matrix whose rows all have the same length.
/// </summary>
public sealed class SampledNegatives
{
    private readonly int[] _items;

    /// <summary>
    /// Wraps <paramref name="items"/> (not copied): <paramref name="userCount"/> rows of <paramref name="negativeCount"/>
    /// item indices each, row-major.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not users x negatives, an item is outside
    /// [0, <paramref name="itemCount"/>), or a row repeats an item.</exception>
    public SampledNegatives(int userCount, int itemCount, int negativeCount, int[] items)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(negativeCount, 1);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length != (long)userCount * negativeCount)
            throw new ArgumentException($"Expected {userCount} x {negativeCount} negatives, got {items.Length}.", nameof(items));
        var stamps = new int[itemCount];
        for (int u = 0; u < userCount; u++)
        {
            foreach (int item in items.AsSpan(u * negativeCount, negativeCount))
            {
                if ((uint)item >= (uint)itemCount)
                    throw new ArgumentException($"Negative item {item} of user {u} is outside [0, {itemCount}).", nameof(items));
                if (stamps[item] == u + 1)
                    throw new ArgumentException($"User {u} has negative item {item} twice.", nameof(items));
                stamps[item] = u + 1;
            }
        }
        UserCount = userCount;
        ItemCount = itemCount;
        NegativeCount = negativeCount;
        _items = items;
    }

    /// <summary>Number of users (rows).</summary>
    public int UserCount { get; }

    /// <summary>Size of the item catalogue the indices refer to.</summary>
    public int ItemCount { get; }

    /// <summary>Negatives per user (the row length).</summary>
    public int NegativeCount { get; }

    /// <summary>The negatives of one user, in sampling order.</summary>
    public ReadOnlySpan<int> Row(int user)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(user);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(user, UserCount);
        return _items.AsSpan(user * NegativeCount, NegativeCount);
    }

    /// <summary>A copy as one array per user (the shape of NCF's <c>test.negative</c> file).</summary>
    public int[][] ToArrays()
    {
        var rows = new int[UserCount][];
        for (int u = 0; u < UserCount; u++) rows[u] = Row(u).ToArray();
        return rows;
    }
}
