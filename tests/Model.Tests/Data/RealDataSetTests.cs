using System.Diagnostics;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tests.Support;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>Counts on the shared real data sets, checked against the figures in shared/data/README.md.</summary>
public sealed class RealDataSetTests(ITestOutputHelper output)
{
    private static readonly PreprocessingOptions NoUserFilter = PreprocessingOptions.ExplicitRatings with { MinUserCount = 0 };

    [RequiresDataSetFact("ml-100k")]
    public void MovieLens100K_Above35_Has55375ClicksOf942UsersOn1447Items()
    {
        var data = ClickPreprocessor.Preprocess(DataCatalog.DataSet("ml-100k").ReadRatings(), NoUserFilter);

        Assert.Equal((55_375, 942, 1_447), (data.ClickCount, data.UserCount, data.ItemCount));
    }

    [RequiresDataSetFact("ml-100k")]
    public void MovieLens100K_DefaultPreprocessing_MatchesNaiveFilter()
    {
        var source = DataCatalog.DataSet("ml-100k");

        var data = source.Load();

        // Independent: split each line, keep rating > 3.5, keep users with >= 5 such ratings.
        var kept = File.ReadLines(source.Path).Select(l => l.Split('\t')).Where(f => int.Parse(f[2]) > 3.5).ToList();
        var users = kept.GroupBy(f => f[0]).Where(g => g.Count() >= 5).Select(g => g.Key).ToHashSet();
        var rows = kept.Where(f => users.Contains(f[0])).ToList();
        Assert.Equal((rows.Count, users.Count, rows.Select(f => f[1]).Distinct().Count()), (data.ClickCount, data.UserCount, data.ItemCount));
    }

    [RequiresDataSetFact("ml-1m")]
    public void MovieLens1M_Above35_Has575281ClicksOf6038UsersOn3533Items()
    {
        var source = DataCatalog.DataSet("ml-1m");
        var clock = Stopwatch.StartNew();
        var table = source.ReadRatings();
        var read = clock.Elapsed;
        var data = ClickPreprocessor.Preprocess(table, NoUserFilter);
        output.WriteLine($"ml-1m: read {table.Count:N0} rows in {read.TotalMilliseconds:F0} ms, preprocessed in {(clock.Elapsed - read).TotalMilliseconds:F0} ms");

        Assert.Equal(1_000_209, table.Count);
        Assert.Equal((575_281, 6_038, 3_533), (data.ClickCount, data.UserCount, data.ItemCount));
    }

    [RequiresDataSetFact("ml-latest-small")]
    public void MovieLensLatestSmall_Above35_Has48580ClicksOf609UsersOn6298Items()
    {
        var data = ClickPreprocessor.Preprocess(DataCatalog.DataSet("ml-latest-small").ReadRatings(), NoUserFilter);

        Assert.Equal((48_580, 609, 6_298), (data.ClickCount, data.UserCount, data.ItemCount));
    }

    [RequiresDataSetFact("citeulike-a")]
    public void CiteULikeA_Has204986ClicksOf5551UsersOn16980Items()
    {
        var data = DataCatalog.DataSet("citeulike-a").Load();

        Assert.Equal((204_986, 5_551, 16_980), (data.ClickCount, data.UserCount, data.ItemCount));
    }

    [RequiresDataSetFact("ml-1m")]
    public void MovieLens1M_SplitSaveLoad_RoundTripsAndKeepsInvariants()
    {
        var data = DataCatalog.DataSet("ml-1m").Load();
        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 600 });
        using var folder = new TempFolder();

        var clock = Stopwatch.StartNew();
        SplitStore.Save(split, folder.Path);
        var saved = clock.Elapsed;
        var fromCsv = SplitStore.Load(folder.Path, useCache: false);
        var csv = clock.Elapsed - saved;
        var fromCache = SplitStore.Load(folder.Path);
        output.WriteLine($"ml-1m split: save {saved.TotalMilliseconds:F0} ms, CSV load {csv.TotalMilliseconds:F0} ms, cache load {(clock.Elapsed - saved - csv).TotalMilliseconds:F0} ms");

        Assert.Equal(data.UserCount - 1_200, split.Train.RowCount);
        Assert.Equal(data.ClickCount, split.Train.NonZeroCount + split.Validation.FoldIn.NonZeroCount + split.Validation.HeldOut.NonZeroCount
            + split.Test.FoldIn.NonZeroCount + split.Test.HeldOut.NonZeroCount + DroppedClicks(data, split));
        DataAssert.SameSplit(split, fromCsv);
        DataAssert.SameSplit(split, fromCache);
    }

    /// <summary>Held-out users' clicks on items no training user clicked (independently recounted from ids).</summary>
    private static int DroppedClicks(ClickDataSet data, DataSplit split)
    {
        var trainItems = split.ItemIds.ToHashSet();
        var heldOutUsers = split.Validation.UserIds.Concat(split.Test.UserIds).ToHashSet();
        var trainUsers = split.TrainUserIds.ToHashSet();
        int dropped = 0;
        for (int u = 0; u < data.UserCount; u++)
        {
            if (trainUsers.Contains(data.UserIds[u])) continue;
            foreach (int i in data.Clicks.Row(u))
                if (!heldOutUsers.Contains(data.UserIds[u]) || !trainItems.Contains(data.ItemIds[i])) dropped++;
        }
        return dropped;
    }
}
