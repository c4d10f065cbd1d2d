using System.CommandLine;
using System.Globalization;
using TorchSharp;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Client.Commands;

/// <summary><c>vaecf recommend</c>: top-N items for a click history given as item ids, with titles where known.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelPath = new Option<string>("--model") { Description = "A model file written by 'vaecf train' (model.vaecf, or model.recvae for --model recvae).", Required = true };
        var items = new Option<string>("--items")
        {
            Description = "The user's clicked items as the data set's own item ids, comma-separated (e.g. 1,50,260).",
            Required = true,
        };
        var top = new Option<int>("--top") { Description = "How many items to recommend.", DefaultValueFactory = _ => 10 };
        var titles = new Option<string?>("--titles")
        {
            Description = "Data set name or folder to take item titles from (u.item, movies.dat or movies.csv).",
        };
        var command = new Command("recommend", "Recommend items for one click history with a saved model (already clicked items are excluded).");
        command.Options.Add(modelPath);
        command.Options.Add(items);
        command.Options.Add(top);
        command.Options.Add(titles);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            using var loaded = SavedModel.Load(result.GetValue(modelPath)!);
            var index = loaded.ItemIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
            var history = new List<int>();
            foreach (var raw in result.GetValue(items)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!index.TryGetValue(raw, out int column))
                    throw new ArgumentException($"--items: item '{raw}' is not in the model's catalog of {loaded.ItemIds.Count} items " +
                                                $"(its ids look like {string.Join(", ", loaded.ItemIds.Take(3))}).");
                history.Add(column);
            }
            int n = result.GetValue(top);
            if (n < 1) throw new ArgumentException("--top must be at least 1.");
            var clicks = ClickMatrix.FromPairs(1, loaded.ItemIds.Count, new int[history.Count], history.ToArray());
            var titleSource = result.GetValue(titles);
            var titleMap = titleSource is null ? null
                : ItemTitleReader.TryLoad(Directory.Exists(titleSource) ? titleSource : DataLocator.DataSet(titleSource));
            using var scope = torch.NewDisposeScope();
            var scores = loaded.Scorer.Score(clicks, 0, 1).cpu();
            if (history.Count > 0)
                scores.FillNegativeInfinityInPlace(1, torch.tensor(history.Select(h => (long)h).ToArray()));
            var best = scores.topk(Math.Min(n, loaded.ItemIds.Count - history.Distinct().Count())).indexes[0].data<long>().ToArray();
            for (int r = 0; r < best.Length; r++)
            {
                var id = loaded.ItemIds[(int)best[r]];
                var title = titleMap is not null && titleMap.TryGetValue(id, out var t) ? $"  {t}" : "";
                System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r + 1,3}. {id}{title}"));
            }
            return 0;
        }));
        return command;
    }
}
