namespace VaeCfCluster.Model.Data;

/// <summary>
/// Names for the data a command line can ask for: the shared real data sets under <see cref="DataLocator.Root"/>
/// (<c>--data ml-1m</c>) and file formats for an explicit path (<c>--data PATH --format ml-20m</c>; <c>ml-1m</c> also
/// reads ML-10M's <c>ratings.dat</c>, <c>ml-20m</c> also ML-25M's and ml-latest's <c>ratings.csv</c>). Each name brings
/// its reader and the paper's preprocessing: ratings above 3.5 and users with 5+ clicks for MovieLens and Netflix;
/// every play, songs with 200+ users and users with 20+ songs for the Million Song Dataset; every row and users with
/// 5+ clicks for citeulike and plain CSV. The paper's held-out user counts come with ml-20m (10,000), netflix
/// (40,000) and msd (50,000); the other names hold out a tenth of the users each for validation and test.
/// </summary>
public static class DataCatalog
{
    private sealed record Format(string Name, Func<IRatingReader> Reader, string[] FileNames, PreprocessingOptions Preprocessing, int? HeldOutUsers);

    private static readonly Format[] Formats =
    [
        new("ml-100k", () => new DelimitedRatingReader(DelimitedFormat.MovieLens100K), ["u.data"], PreprocessingOptions.ExplicitRatings, null),
        new("ml-1m", () => new DelimitedRatingReader(DelimitedFormat.MovieLensDat), ["ratings.dat", "ratings_without_timestamps.dat"], PreprocessingOptions.ExplicitRatings, null),
        new("ml-20m", () => new DelimitedRatingReader(DelimitedFormat.MovieLensCsv), ["ratings.csv"], PreprocessingOptions.ExplicitRatings, 10_000),
        new("netflix", () => new NetflixPrizeReader(), [], PreprocessingOptions.ExplicitRatings, 40_000),
        new("msd", () => new DelimitedRatingReader(DelimitedFormat.TasteProfile), ["train_triplets.txt"], PreprocessingOptions.MillionSong, 50_000),
        new("citeulike", () => new CiteULikeReader(), ["users.dat"], PreprocessingOptions.Implicit, null),
        new("csv", () => new DelimitedRatingReader(DelimitedFormat.Csv), [], PreprocessingOptions.Implicit, null),
    ];

    private static readonly (string Name, string Folder, string Format, int? HeldOutUsers)[] DataSets =
    [
        ("ml-100k", "ml-100k", "ml-100k", null),
        ("ml-1m", "ml-1m", "ml-1m", null),
        ("ml-latest-small", "ml-latest-small", "ml-20m", null),
        ("citeulike-a", "citeulike-a", "citeulike", null),
    ];

    /// <summary>Names accepted by <see cref="DataSet"/>.</summary>
    public static IReadOnlyList<string> DataSetNames { get; } = Array.ConvertAll(DataSets, d => d.Name);

    /// <summary>Names accepted by <see cref="FromPath"/>.</summary>
    public static IReadOnlyList<string> FormatNames { get; } = Array.ConvertAll(Formats, f => f.Name);

    /// <summary>A shared data set under <see cref="DataLocator.Root"/>, by name (case-insensitive).</summary>
    public static DataSource DataSet(string name)
    {
        foreach (var entry in DataSets)
        {
            if (!string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            var source = FromPath(DataLocator.DataSet(entry.Folder), entry.Format);
            return source with { Name = entry.Name, Split = source.Split with { HeldOutUserCount = entry.HeldOutUsers } };
        }
        throw new ArgumentException($"Unknown data set '{name}'. Known: {string.Join(", ", DataSetNames)}.", nameof(name));
    }

    /// <summary>
    /// A file (or folder) read as the named format (case-insensitive). A folder is resolved to the format's usual
    /// file name (<c>u.data</c>, <c>ratings.dat</c>, <c>ratings.csv</c>, <c>train_triplets.txt</c>, <c>users.dat</c>);
    /// Netflix takes the folder of <c>combined_data_*.txt</c> files itself. Missing files are reported when loading.
    /// </summary>
    public static DataSource FromPath(string path, string format)
    {
        var entry = Array.Find(Formats, f => string.Equals(f.Name, format, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown data format '{format}'. Known: {string.Join(", ", FormatNames)}.", nameof(format));
        var file = Directory.Exists(path) && entry.FileNames.Length > 0
            ? entry.FileNames.Select(name => Path.Combine(path, name)).FirstOrDefault(File.Exists) ?? Path.Combine(path, entry.FileNames[0])
            : path;
        return new DataSource(entry.Name, file, entry.Reader(), entry.Preprocessing, new SplitOptions { HeldOutUserCount = entry.HeldOutUsers });
    }
}
