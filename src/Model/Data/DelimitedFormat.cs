namespace VaeCfCluster.Model.Data;

/// <summary>
/// Layout of a delimited rating file (one rating per line, fields separated by <see cref="Delimiter"/>, no
/// quoting): which columns hold the user id, the item id and, optionally, the rating. The presets describe
/// the MovieLens, Million Song Dataset and plain CSV files the paper and its reference code read.
/// </summary>
public sealed record DelimitedFormat
{
    /// <summary>Field separator, one or more characters (for example <c>","</c>, <c>"\t"</c> or <c>"::"</c>).</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>Whether the first line is a header; its field names then name the columns in error messages.</summary>
    public bool HasHeader { get; init; }

    /// <summary>0-based column of the user id.</summary>
    public int UserColumn { get; init; }

    /// <summary>0-based column of the item id.</summary>
    public int ItemColumn { get; init; } = 1;

    /// <summary>0-based column of the rating or count; null for implicit data (every row is a click, value 1).</summary>
    public int? RatingColumn { get; init; }

    /// <summary>Fewest columns a line may have; 0 means "as many as the columns used".</summary>
    public int MinColumnCount { get; init; }

    /// <summary>Most columns a line may have; lines with more are rejected.</summary>
    public int MaxColumnCount { get; init; } = int.MaxValue;

    /// <summary>Column names for error messages when the file has no header; missing names read "column N".</summary>
    public IReadOnlyList<string> ColumnNames { get; init; } = [];

    /// <summary>MovieLens 100K <c>u.data</c>: <c>user\titem\trating\ttimestamp</c>, no header.</summary>
    public static DelimitedFormat MovieLens100K { get; } = new()
    {
        Delimiter = "\t", RatingColumn = 2, MinColumnCount = 4, MaxColumnCount = 4,
        ColumnNames = ["user id", "item id", "rating", "timestamp"],
    };

    /// <summary>MovieLens 1M/10M <c>ratings.dat</c>: <c>UserID::MovieID::Rating[::Timestamp]</c>, no header.</summary>
    public static DelimitedFormat MovieLensDat { get; } = new()
    {
        Delimiter = "::", RatingColumn = 2, MinColumnCount = 3, MaxColumnCount = 4,
        ColumnNames = ["UserID", "MovieID", "Rating", "Timestamp"],
    };

    /// <summary>MovieLens 20M/25M/latest <c>ratings.csv</c>: header <c>userId,movieId,rating,timestamp</c>.</summary>
    public static DelimitedFormat MovieLensCsv { get; } = new()
    {
        Delimiter = ",", HasHeader = true, RatingColumn = 2, MinColumnCount = 4, MaxColumnCount = 4,
    };

    /// <summary>Million Song Dataset taste profile <c>train_triplets.txt</c>: <c>user\tsong\tcount</c>, no header.</summary>
    public static DelimitedFormat TasteProfile { get; } = new()
    {
        Delimiter = "\t", RatingColumn = 2, MinColumnCount = 3, MaxColumnCount = 3,
        ColumnNames = ["user", "song", "count"],
    };

    /// <summary>A generic CSV with a header whose first two columns are the user and item ids (implicit clicks).</summary>
    public static DelimitedFormat Csv { get; } = new() { Delimiter = ",", HasHeader = true };

    /// <summary>Number of columns a line must have at least: the explicit minimum or the highest used column + 1.</summary>
    public int RequiredColumnCount =>
        Math.Max(MinColumnCount, Math.Max(UserColumn, Math.Max(ItemColumn, RatingColumn ?? 0)) + 1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting that makes this layout unusable.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Delimiter)) throw new ArgumentException("Delimiter must not be empty.", nameof(Delimiter));
        if (UserColumn < 0) throw new ArgumentException("UserColumn must be 0 or more.", nameof(UserColumn));
        if (ItemColumn < 0) throw new ArgumentException("ItemColumn must be 0 or more.", nameof(ItemColumn));
        if (RatingColumn < 0) throw new ArgumentException("RatingColumn must be 0 or more.", nameof(RatingColumn));
        if (UserColumn == ItemColumn || UserColumn == RatingColumn || ItemColumn == RatingColumn)
            throw new ArgumentException("UserColumn, ItemColumn and RatingColumn must be different columns.");
        if (MaxColumnCount < RequiredColumnCount)
            throw new ArgumentException($"MaxColumnCount ({MaxColumnCount}) is below the {RequiredColumnCount} columns needed.", nameof(MaxColumnCount));
    }
}
