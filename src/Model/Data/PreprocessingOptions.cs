namespace VaeCfCluster.Model.Data;

/// <summary>
/// How raw ratings become clicks (Liang et al. 2018, Section 4.1, and the reference code's <c>filter_triplets</c>).
/// Applied in this order: keep rows whose value is above <see cref="RatingThreshold"/>; binarize (every kept row is
/// one click, duplicates merged); keep items clicked by at least <see cref="MinItemCount"/> users; then keep users
/// with at least <see cref="MinUserCount"/> of the remaining items. The user filter runs last, so a few items may end
/// with fewer than <see cref="MinItemCount"/> users, exactly as in the reference code.
/// </summary>
public sealed record PreprocessingOptions
{
    /// <summary>
    /// Keep rows with value strictly greater than this; null keeps every row (implicit data, play counts).
    /// The paper uses 3.5 for MovieLens-20M and Netflix ("ratings of four or higher"). Too high leaves few clicks
    /// per user; too low treats dislikes as positive feedback.
    /// </summary>
    public double? RatingThreshold { get; init; }

    /// <summary>
    /// Drop items with fewer distinct users than this; 0 turns the filter off (the paper: off for MovieLens and
    /// Netflix, 200 for the Million Song Dataset). Larger values shrink the item vocabulary and the softmax.
    /// </summary>
    public int MinItemCount { get; init; }

    /// <summary>
    /// Drop users with fewer items than this after the item filter (the paper: 5; 20 for the Million Song Dataset).
    /// Users with too few clicks cannot be split 80/20 meaningfully; 0 keeps every user that has a click.
    /// </summary>
    public int MinUserCount { get; init; } = 5;

    /// <summary>MovieLens and Netflix (Section 4.1): keep ratings above 3.5, users with at least 5 of them.</summary>
    public static PreprocessingOptions ExplicitRatings { get; } = new() { RatingThreshold = 3.5, MinUserCount = 5 };

    /// <summary>Million Song Dataset (Section 4.1): every play is a click; songs with 200+ listeners, users with 20+ songs.</summary>
    public static PreprocessingOptions MillionSong { get; } = new() { MinItemCount = 200, MinUserCount = 20 };

    /// <summary>Implicit data such as citeulike: every row is a click; users with at least 5 items.</summary>
    public static PreprocessingOptions Implicit { get; } = new() { MinUserCount = 5 };

    /// <summary>Throws <see cref="ArgumentException"/> naming a setting that is out of range.</summary>
    public void Validate()
    {
        if (RatingThreshold is double t && !double.IsFinite(t)) throw new ArgumentException("RatingThreshold must be a finite number.", nameof(RatingThreshold));
        if (MinItemCount < 0) throw new ArgumentException("MinItemCount must be 0 or more.", nameof(MinItemCount));
        if (MinUserCount < 0) throw new ArgumentException("MinUserCount must be 0 or more.", nameof(MinUserCount));
    }
}
