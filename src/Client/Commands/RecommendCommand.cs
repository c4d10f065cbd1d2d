using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf recommend</c>: top-N items for one click history given as item ids, with titles where known
/// (<c>--items</c>), or for every user of a ratings file, written to a CSV file (<c>--histories</c>, <see cref="BatchRecommendation"/>).
/// </summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelPath = new Option<string>("--model") { Description = "A model file written by 'vaecf train' (model.vaecf, or model.recvae for --model recvae).", Required = true };
        var items = new Option<string?>("--items")
        {
            Description = "One user's clicked items as the data set's own item ids, comma-separated (e.g. 1,50,260); the list is printed.",
        };
        var top = new Option<int>("--top") { Description = "How many items to recommend (per user).", DefaultValueFactory = _ => 10 };
        var titles = new Option<string?>("--titles")
        {
            Description = "With --items: data set name or folder to take item titles from (u.item, movies.dat or movies.csv).",
        };
        var batch = new BatchRecommendation.Options();
        var lowMemory = SavedModel.LowMemoryOption();
        var command = new Command("recommend",
            "Recommend items with a saved model (a user's own clicks are never recommended): for one click history (--items), " +
            "or for every user of a ratings file, written to a CSV file (--histories FILE --out FILE).");
        command.Options.Add(modelPath);
        command.Options.Add(items);
        command.Options.Add(top);
        command.Options.Add(titles);
        command.Options.Add(lowMemory);
        batch.AddTo(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            int n = result.GetValue(top);
            if (n < 1) throw new ArgumentException("--top must be at least 1.");
            var itemList = result.GetValue(items);
            bool many = result.GetValue(batch.Histories) is not null;
            if ((itemList is not null) == many)
                throw new ArgumentException("Give either --items (one click history) or --histories FILE with --out FILE (every user of a file).");
            if (many && result.GetValue(titles) is not null) throw new ArgumentException("--titles goes with --items: the --histories file lists item ids.");
            ModelPath.Require("--model", result.GetValue(modelPath)!);
            var inPlace = SavedModel.LowMemoryChoice(result, lowMemory);
            if (many) return BatchRecommendation.Run(result, batch, result.GetValue(modelPath)!, n, inPlace);
            if (result.GetValue(batch.Out) is not null) throw new ArgumentException("--out goes with --histories; --items prints its list.");
            return RecommendOne(result.GetValue(modelPath)!, itemList!, n, result.GetValue(titles), inPlace);
        }));
        return command;
    }

    private static int RecommendOne(string modelPath, string itemList, int n, string? titleSource, bool? lowMemory)
    {
        using var loaded = SavedModel.Load(modelPath, lowMemory, System.Console.Error);
        var index = loaded.ItemIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var history = new List<int>();
        foreach (var raw in itemList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!index.TryGetValue(raw, out int column))
                throw new ArgumentException($"--items: item '{raw}' is not in the model's catalog of {loaded.ItemIds.Count} items " +
                                            $"(its ids look like {string.Join(", ", loaded.ItemIds.Take(3))}).");
            history.Add(column);
        }
        var clicks = ClickMatrix.FromPairs(1, loaded.ItemIds.Count, new int[history.Count], history.ToArray());
        var titleMap = titleSource is null ? null : Titles(titleSource);
        // The batch form's ranking for a batch of one user.
        var best = BatchRecommender.Recommend(loaded.Scorer, clicks, n, batchSize: 1).Single().Items;
        for (int r = 0; r < best.Length; r++)
        {
            var id = loaded.ItemIds[best[r]];
            var title = titleMap is not null && titleMap.TryGetValue(id, out var t) ? $"  {t}" : "";
            System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r + 1,3}. {id}{title}"));
        }
        return 0;
    }

    /// <summary>Item titles from a data set's name or folder; none found is an error, not a silent list of bare ids.</summary>
    private static IReadOnlyDictionary<string, string> Titles(string source)
    {
        var path = Directory.Exists(source) ? source : DataLocator.DataSet(source);
        if (!Directory.Exists(path) && !File.Exists(path))
            throw new ArgumentException($"--titles: '{source}' is neither a folder nor a data set under {DataLocator.Root}.");
        return ItemTitleReader.TryLoad(path)
               ?? throw new ArgumentException($"--titles: no titles in {path} (u.item, movies.dat or movies.csv); ml-100k, ml-1m and ml-latest-small have them.");
    }
}
