namespace VaeCfCluster.Model.Data;

/// <summary>
/// Settings of the strong-generalization split (Liang et al. 2018, Section 4.3; reference code defaults).
/// </summary>
public sealed record SplitOptions
{
    /// <summary>The reference code's seed, used for the user shuffle and the fold-in/held-out choice.</summary>
    public const ulong DefaultSeed = 98765;

    /// <summary>
    /// Users in each of validation and test (the paper: 10,000 for ML-20M, 40,000 for Netflix, 50,000 for MSD).
    /// Null means a tenth of the users each. Too few makes the metrics noisy; 2N must leave at least one training user.
    /// </summary>
    public int? HeldOutUserCount { get; init; }

    /// <summary>Seed of the user shuffle and of each held-out user's fold-in/held-out choice.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Fraction of a held-out user's clicks to hold out for scoring: floor(fraction x n) items (default 0.2).</summary>
    public double HeldOutFraction { get; init; } = 0.2;

    /// <summary>Held-out users with fewer clicks than this keep them all as fold-in and have nothing held out (default 5).</summary>
    public int MinClicksToHoldOut { get; init; } = 5;

    /// <summary>The number of validation (and of test) users for a data set of <paramref name="userCount"/> users.</summary>
    public int HeldOutUsersFor(int userCount) => HeldOutUserCount ?? Math.Max(1, userCount / 10);

    /// <summary>Throws <see cref="ArgumentException"/> naming a setting that cannot work for <paramref name="userCount"/> users.</summary>
    public void Validate(int userCount)
    {
        int n = HeldOutUsersFor(userCount);
        if (n < 1) throw new ArgumentException("HeldOutUserCount must be at least 1.", nameof(HeldOutUserCount));
        if (2L * n >= userCount)
            throw new ArgumentException($"HeldOutUserCount {n} leaves no training users: 2 x {n} >= {userCount} users.", nameof(HeldOutUserCount));
        if (!(HeldOutFraction > 0 && HeldOutFraction < 1))
            throw new ArgumentException("HeldOutFraction must be strictly between 0 and 1.", nameof(HeldOutFraction));
        if (MinClicksToHoldOut < 1) throw new ArgumentException("MinClicksToHoldOut must be at least 1.", nameof(MinClicksToHoldOut));
    }
}
