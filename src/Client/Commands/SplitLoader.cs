using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// Turns the data options into a strong-generalization split: a prepared split folder as it is, the built-in
/// synthetic set, a known data set by name, or a file with a format; then preprocessing and the split.
/// </summary>
internal static class SplitLoader
{
    /// <summary>Name of the built-in data set.</summary>
    public const string SyntheticName = "synthetic";

    /// <summary>
    /// Shape of the built-in synthetic data set: small enough to train in a few minutes on two cores, large enough
    /// that the planted structure (power-law popularity, 16 latent factors) separates good models from popularity.
    /// </summary>
    public static SyntheticDataOptions SyntheticShape { get; } = new()
    {
        UserCount = 10_000, ItemCount = 2_000, MeanClicksPerUser = 40, Seed = 20180423,
    };

    /// <summary>Loads and splits the data the options name, logging what it did.</summary>
    public static LoadedData Load(ParseResult result, DataOptions options, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var splitFolder = result.GetValue(options.Split);
        if (splitFolder is not null)
        {
            if (result.GetResult(options.Data) is { Implicit: false } || result.GetValue(options.Format) is not null)
                throw new ArgumentException("--split reads a prepared split; --data and --format describe raw data to split: give one or the other.");
            if (!Directory.Exists(splitFolder)) throw new DirectoryNotFoundException($"--split: folder '{splitFolder}' does not exist.");
            var stored = SplitStore.Load(splitFolder);
            var name = new DirectoryInfo(splitFolder).Name;
            Report(log, stored, $"split folder {splitFolder}", clock);
            return new LoadedData(stored, name, $"split folder {Path.GetFullPath(splitFolder)}", 100);
        }

        var data = result.GetValue(options.Data) ?? SyntheticName;
        var format = result.GetValue(options.Format);
        ClickDataSet clicks;
        DataSource? loadedSource = null;
        SplitOptions splitOptions;
        string dataName, description;
        int defaultEpochs = 100;
        if (string.Equals(data, SyntheticName, StringComparison.OrdinalIgnoreCase) && format is null)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"data: built-in synthetic set ({SyntheticShape.UserCount} users, {SyntheticShape.ItemCount} items, planted factors, seed {SyntheticShape.Seed})"));
            clicks = SyntheticDataGenerator.Generate(SyntheticShape);
            splitOptions = new SplitOptions();
            (dataName, description, defaultEpochs) = (SyntheticName, "built-in synthetic", 30);
        }
        else
        {
            var source = format is not null ? WithColumns(DataCatalog.FromPath(data, format), result, options)
                : DataCatalog.DataSetNames.Contains(data, StringComparer.OrdinalIgnoreCase) ? DataCatalog.DataSet(data)
                : throw new ArgumentException($"--data: '{data}' is not a known data set ({string.Join(", ", DataCatalog.DataSetNames)}, " +
                                              $"{SyntheticName}); for a file or folder also give --format ({string.Join(", ", DataCatalog.FormatNames)}).");
            if (!File.Exists(source.Path) && !Directory.Exists(source.Path) && format is not null && Directory.Exists(data))
                throw new FileNotFoundException($"--data: '{source.Path}' not found: --format {format} reads {Path.GetFileName(source.Path)} " +
                                                $"in the folder --data names{ElsewhereHint(data)}.");
            if (!File.Exists(source.Path) && !Directory.Exists(source.Path) && format is not null && Directory.Exists(DataLocator.DataSet(data)))
                throw new FileNotFoundException($"--data: '{data}' is not a file or folder here; with --format, --data is a path " +
                                                $"(the data set of that name is {DataLocator.DataSet(data)}: give that path, or drop --format).");
            if (!File.Exists(source.Path) && !Directory.Exists(source.Path))
                throw new FileNotFoundException($"--data: '{source.Path}' not found (data sets are looked up under " +
                                                $"{DataLocator.Root}; set {DataLocator.EnvironmentVariable} to change that).");
            source = source with
            {
                Preprocessing = source.Preprocessing with
                {
                    RatingThreshold = result.GetValue(options.MinRating) ?? source.Preprocessing.RatingThreshold,
                    MinUserCount = result.GetValue(options.MinUserClicks) ?? source.Preprocessing.MinUserCount,
                },
            };
            log.WriteLine($"data: reading {source.Path} as {source.Name}");
            clicks = source.Load();
            loadedSource = source;
            splitOptions = source.Split;
            // A csv file is named by its file name, so two files get two default run folders and job ids.
            (dataName, description) = (source.Name == "csv" ? NameOfFile(source.Path) : source.Name, $"{source.Name} ({source.Path})");
        }
        splitOptions = splitOptions with
        {
            HeldOutUserCount = result.GetValue(options.HeldOutUsers) ?? splitOptions.HeldOutUserCount,
            Seed = result.GetValue(options.SplitSeed),
        };
        if (result.GetValue(options.HeldOutUsers) is null && splitOptions.HeldOutUserCount is { } byDefault && 2L * byDefault >= clicks.UserCount)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{dataName} holds out {byDefault} validation and {byDefault} test users by default, too many for these {clicks.UserCount} users; " +
                $"give --heldout-users (for example {Math.Max(1, clicks.UserCount / 10)}, a tenth each)."));
        var split = StrongGeneralizationSplitter.Split(clicks, splitOptions);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data: {clicks.UserCount} users, {clicks.ItemCount} items, {clicks.ClickCount} clicks (density {clicks.Density:P3}) after preprocessing"));
        Report(log, split, description, clock);
        RequireHeldOutItems(split, loadedSource?.Path ?? description, splitOptions);
        return new LoadedData(split, dataName, description, defaultEpochs, clicks, loadedSource, splitOptions.Seed);
    }

    /// <summary>
    /// The same data split again with <paramref name="seed"/> (for several split seeds). A prepared split folder has one
    /// split only and is refused.
    /// </summary>
    public static DataSplit Resplit(LoadedData data, ParseResult result, DataOptions options, ulong seed)
    {
        if (seed == data.SplitSeed) return data.Split;
        if (data.Clicks is null) throw new ArgumentException("--split-seeds: a prepared split folder (--split) has one split; give --data instead.");
        var splitOptions = (data.Source?.Split ?? new SplitOptions()) with
        {
            HeldOutUserCount = result.GetValue(options.HeldOutUsers) ?? (data.Source?.Split ?? new SplitOptions()).HeldOutUserCount,
            Seed = seed,
        };
        var split = StrongGeneralizationSplitter.Split(data.Clicks, splitOptions);
        RequireHeldOutItems(split, data.Source?.Path ?? data.Description, splitOptions);
        return split;
    }

    /// <summary>
    /// Refuses a split whose validation or test users have no held-out item, before any training: there would be nothing
    /// to score. The splitter holds out a share of a held-out user's clicks only when the user has enough of them
    /// (<see cref="SplitOptions.MinClicksToHoldOut"/>), so data whose users have few clicks can give none.
    /// </summary>
    private static void RequireHeldOutItems(DataSplit split, string data, SplitOptions options)
    {
        foreach (var (users, part) in new[] { (split.Validation, "validation"), (split.Test, "test") })
        {
            if (users.HeldOut.NonZeroCount > 0) continue;
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{data}: no {part} user has a held-out item to score (split seed {options.Seed}): a held-out user has " +
                $"{options.HeldOutFraction * 100:0.#}% of its clicks held out only with {options.MinClicksToHoldOut} or more clicks on items " +
                $"training users clicked, and none of these {users.UserCount} has; keep only users with enough clicks " +
                $"(--min-user-clicks {options.MinClicksToHoldOut}) or hold out more users (--heldout-users)."));
        }
    }

    /// <summary>For the csv format, the reader the column options describe.</summary>
    internal static DataSource WithColumns(DataSource source, ParseResult result, DataOptions options)
    {
        if (source.Name != "csv") return source;
        var delimiter = result.GetValue(options.Delimiter) ?? ",";
        var format = DelimitedFormat.Csv with
        {
            Delimiter = delimiter is "tab" or "\\t" ? "\t" : delimiter,
            HasHeader = !result.GetValue(options.NoHeader),
            UserColumn = result.GetValue(options.UserColumn),
            ItemColumn = result.GetValue(options.ItemColumn),
            RatingColumn = result.GetValue(options.RatingColumn),
        };
        format.Validate();
        // Without a rating column every row is a click (rating 1), so a threshold would drop them all.
        if (format.RatingColumn is null && result.GetValue(options.MinRating) is { } threshold)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--min-rating {threshold} needs --rating-column for --format csv: without one every row is a click and none has a rating to compare " +
                $"(columns count from 0: user,item,rating is --rating-column 2)."));
        return source with { Reader = new DelimitedRatingReader(format) };
    }

    /// <summary>Where a shared data set of the folder's name is, when one is: it may be what was meant.</summary>
    private static string ElsewhereHint(string folder)
    {
        var shared = DataLocator.DataSet(folder);
        return Directory.Exists(shared) && Path.GetFullPath(shared) != Path.GetFullPath(folder)
            ? $" (the data set of that name is {shared}: give that path, or drop --format)" : "";
    }

    /// <summary>A name for run folders and job ids from a data file's name: "clicks" for clicks.csv (letters, digits, '.', '_', '-').</summary>
    internal static string NameOfFile(string path)
    {
        var name = string.Concat(Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path))
            .Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')).Trim('.', '-');
        return name.Length == 0 ? "csv" : name[..Math.Min(name.Length, 60)];
    }

    private static void Report(TextWriter log, DataSplit split, string what, Stopwatch clock) =>
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"split: {split.Train.RowCount} training users, {split.Validation.UserCount} validation, {split.Test.UserCount} test users; " +
            $"{split.ItemCount} items ({what}, {clock.Elapsed.TotalSeconds:F1} s)"));
}
