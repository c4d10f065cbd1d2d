namespace VaeCfCluster.Model.Evaluation.LeaveOneOut;

/// <summary>
/// Settings of the NCF leave-one-out protocol (He et al. 2017, "Neural Collaborative Filtering", Section 4.1) that
/// Liang et al. 2018 use for their Table 3 (Section 4.5): one held-out test item per user, ranked among
/// <see cref="NegativeCount"/> sampled items the user never clicked.
/// </summary>
public sealed record LeaveOneOutOptions
{
    /// <summary>The default seed, the same as the strong-generalization split's (<see cref="Data.SplitOptions.DefaultSeed"/>).</summary>
    public const ulong DefaultSeed = 98765;

    /// <summary>NCF's number of sampled negatives per test user.</summary>
    public const int DefaultNegativeCount = 100;

    /// <summary>
    /// Seed of every random choice: each user's test and validation items and test negatives (drawn from the seed and
    /// the user's id alone, so a user's choice does not depend on the other users), and the validation user sample.
    /// </summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// Items each test user's held-out item is ranked against (default 100, as in NCF). A small count makes HR@10 easy
    /// (with 9 negatives every user scores 1); a large one approaches a full-catalogue ranking. Every kept user must
    /// have at least this many items they never clicked.
    /// </summary>
    public int NegativeCount { get; init; } = DefaultNegativeCount;

    /// <summary>
    /// Users whose validation item is used for model selection; null (the default) means every kept user. A seeded
    /// sample keeps the per-epoch validation cheap on large data sets; too few users make the selection noisy.
    /// </summary>
    public int? ValidationUserCount { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming a setting that cannot work.</summary>
    public void Validate()
    {
        if (NegativeCount < 1)
            throw new ArgumentException($"NegativeCount must be at least 1 (got {NegativeCount}).", nameof(NegativeCount));
        if (ValidationUserCount is < 1)
            throw new ArgumentException($"ValidationUserCount must be at least 1 when set (got {ValidationUserCount}).", nameof(ValidationUserCount));
    }
}
