using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf recommend --histories FILE --out FILE</c>: reads every user's clicks from a ratings file (any format the
/// data options read), ranks the model's catalog for each user a batch at a time, and writes the top N per user as
/// <c>user,item,rank</c> lines (<see cref="RecommendationCsv"/>), logging progress. Ctrl+C stops it without leaving a file.
/// </summary>
internal static class BatchRecommendation
{
    /// <summary>The options of the batch form.</summary>
    internal sealed class Options
    {
        private readonly DataOptions _data = new();

        public Option<string?> Histories { get; } = new("--histories")
        {
            Description = "Recommend for every user of this ratings file (user and item ids as the model was trained on; " +
                          "read as csv unless --format says otherwise), or of a known data set by name (ml-1m, ...). Clicks on " +
                          "items the model does not know are dropped and counted.",
        };

        public Option<string?> Out { get; } = new("--out")
        {
            Description = "With --histories: the CSV file to write (user,item,rank; one line per recommendation, best first).",
        };

        public Option<int> BatchSize { get; } = new("--batch-size")
        {
            Description = "With --histories: users ranked at once (memory: at most about 256 MiB of scores per batch). A model scored in " +
                          "place (--low-memory) ranks at least 50,000 per read of its item-sized layers.",
            DefaultValueFactory = _ => 1000,
        };

        public Option<int> Threads { get; } = new("--threads")
        {
            Description = "LibTorch threads; 0 uses one per core.",
            DefaultValueFactory = _ => 0,
        };

        public DataOptions Data => _data;

        public void AddTo(Command command)
        {
            _data.Format.Description = "With --histories: reader of the file (ml-100k, ml-1m, ml-20m, netflix, msd, citeulike or csv). " +
                                       "Default: csv, or a known data set's own.";
            _data.MinRating.Description = "With --histories: keep only rows whose rating is above this value. Default: the format's own " +
                                          "(3.5 for MovieLens and Netflix, none for implicit data and csv without --rating-column).";
            foreach (var o in new Option[] { Histories, Out, _data.Format, _data.Delimiter, _data.NoHeader, _data.UserColumn, _data.ItemColumn,
                         _data.RatingColumn, _data.MinRating, BatchSize, Threads })
                command.Options.Add(o);
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal)
        || (File.Exists(a) && File.Exists(b) && new FileInfo(a).ResolveLinkTarget(true)?.FullName is { } target && target == Path.GetFullPath(b));

    /// <summary>Runs the batch form; returns the exit code.</summary>
    public static int Run(ParseResult result, Options options, string modelPath, int top, bool? lowMemory = null)
    {
        var log = System.Console.Error;
        var outPath = result.GetValue(options.Out) ?? throw new ArgumentException("--histories needs --out FILE: where to write the recommendations.");
        int batchSize = result.GetValue(options.BatchSize);
        if (batchSize < 1) throw new ArgumentException("--batch-size must be at least 1.");
        int threads = result.GetValue(options.Threads);
        if (threads < 0) throw new ArgumentException("--threads must be 0 (one per core) or more.");
        if (Directory.Exists(outPath)) throw new ArgumentException($"--out: '{outPath}' is a folder; give a file name.");
        var source = HistorySource(result, options);
        if (!File.Exists(source.Path) && !Directory.Exists(source.Path))
            throw new FileNotFoundException($"--histories: '{source.Path}' not found.");
        // The recommendations replace --out: never one of the command's own inputs.
        foreach (var (option, input) in new[] { ("--model", modelPath), ("--histories", source.Path) })
            if (SamePath(outPath, input))
                throw new ArgumentException($"--out: '{outPath}' is the {option} file; writing the recommendations there would replace it. Give another file name.");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);

        var clock = Stopwatch.StartNew();
        var table = source.ReadRatings();
        using var loaded = SavedModel.Load(modelPath, lowMemory, log);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model: {modelPath}, {loaded.ItemIds.Count:N0} items"));
        var threshold = result.GetValue(options.Data.MinRating) ?? source.Preprocessing.RatingThreshold;
        var histories = UserHistories.FromRatings(table, loaded.ItemIds, threshold);
        // A file whose every row is at or below the threshold has no click at all: say so, not that its ids are unknown.
        if (histories.RowsRead > 0 && histories.RowsAtOrBelowThreshold == histories.RowsRead)
            throw new DataFormatException(source.Path, 0, "rating", string.Create(CultureInfo.InvariantCulture,
                $"every row's rating is at or below the threshold {threshold} (--min-rating), so no row is a click"));
        // A file none of whose rows names a known item is most likely in another id space: refused before the summary
        // line could promise its users a ranking.
        if (histories.Clicks.NonZeroCount == 0)
            throw new DataFormatException(source.Path, 0, "item", $"no row names an item of the model's catalog (its ids look like " +
                                                                 $"{string.Join(", ", loaded.ItemIds.Take(3))})");
        log.WriteLine(histories.Describe(source.Path) + string.Create(CultureInfo.InvariantCulture, $" ({clock.Elapsed.TotalSeconds:F1} s)"));

        using var signals = new StopSignals(() => log.WriteLine("stopping: no file is written"));
        int usersPerCall = loaded.UsersPerCall(batchSize);
        if (usersPerCall > batchSize)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ranking {usersPerCall:N0} users per read of the model; the first lines are written once the first {Math.Min(usersPerCall, histories.UserIds.Count):N0} are ranked"));
        var progress = new UserProgress(log, histories.UserIds.Count, usersPerCall);
        var recommendations = BatchRecommender.Recommend(loaded.Scorer, histories.Clicks, top, usersPerCall, signals.Token);
        var (users, lines) = RecommendationCsv.Write(outPath, recommendations, histories.UserIds, loaded.ItemIds, progress.Report);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outPath}: {lines:N0} recommendations for {users:N0} users (top {top}) in {progress.Elapsed.TotalSeconds:F1} s, " +
            $"{users / Math.Max(progress.Elapsed.TotalSeconds, 1e-9):N0} users/s"));
        return 0;
    }

    private static DataSource HistorySource(ParseResult result, Options options)
    {
        var histories = result.GetValue(options.Histories)!;
        var format = result.GetValue(options.Data.Format);
        var source = format is null && DataCatalog.DataSetNames.Contains(histories, StringComparer.OrdinalIgnoreCase)
            ? DataCatalog.DataSet(histories)
            : DataCatalog.FromPath(histories, format ?? "csv");
        return SplitLoader.WithColumns(source, result, options.Data);
    }
}
