using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class SplitStoreTests
{
    private static DataSplit SampleSplit()
    {
        var random = new Random(5);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < 120; u++)
            for (int k = random.Next(1, 25); k > 0; k--) { rows.Add(u); columns.Add(random.Next(60)); }
        var data = new ClickDataSet(ClickMatrix.FromPairs(120, 60, rows.ToArray(), columns.ToArray()),
            [.. Enumerable.Range(0, 120).Select(u => $"user-{u}")], [.. Enumerable.Range(0, 60).Select(i => $"item{i + 10}")]);
        return StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 15 });
    }

    [Fact]
    public void SaveThenLoad_CsvPathAndCachePath_GiveIdenticalSplit()
    {
        using var folder = new TempFolder();
        var split = SampleSplit();

        SplitStore.Save(split, folder.Path);

        DataAssert.SameSplit(split, SplitStore.Load(folder.Path, useCache: false));
        DataAssert.SameSplit(split, SplitStore.Load(folder.Path));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        Assert.True(File.Exists(folder.File(SplitStore.CacheFileName)));
    }

    [Fact]
    public void Save_WritesReferenceNumbering_TrainThenValidationThenTest()
    {
        using var folder = new TempFolder();
        var split = SampleSplit();

        SplitStore.Save(split, folder.Path);

        var trainUids = File.ReadLines(folder.File("train.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).Distinct().ToList();
        var validationUids = File.ReadLines(folder.File("validation_tr.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).Distinct().ToList();
        var testUids = File.ReadLines(folder.File("test_tr.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).Distinct().ToList();
        Assert.Equal("uid,sid", File.ReadLines(folder.File("validation_te.csv")).First());
        Assert.Equal(Enumerable.Range(0, split.Train.RowCount), trainUids);
        Assert.Equal(Enumerable.Range(split.Train.RowCount, split.Validation.UserCount), validationUids);
        Assert.Equal(Enumerable.Range(split.Train.RowCount + split.Validation.UserCount, split.Test.UserCount), testUids);
        Assert.Equal(split.ItemIds, File.ReadAllLines(folder.File("unique_sid.txt")));
        Assert.Equal([.. split.TrainUserIds, .. split.Validation.UserIds, .. split.Test.UserIds], File.ReadAllLines(folder.File("unique_uid.txt")));
    }

    [Fact]
    public void Load_FolderWrittenByReferenceCode_MatchesItsLoaders()
    {
        using var folder = new TempFolder();
        folder.Write("unique_sid.txt", "50\n10\n30\n");
        folder.Write("train.csv", "uid,sid\n0,0\n0,1\n1,2\n2,0\n2,2\n");
        folder.Write("validation_tr.csv", "uid,sid\n3,0\n3,1\n4,2\n5,0\n5,1\n");
        folder.Write("validation_te.csv", "uid,sid\n3,2\n5,2\n");
        // Test uid 8 wrote no row at all: load_tr_te_data still gives it an empty row between 7 and 9.
        folder.Write("test_tr.csv", "uid,sid\n9,1\n7,0\n9,2\n");
        folder.Write("test_te.csv", "uid,sid\n9,0\n");

        var split = SplitStore.Load(folder.Path);

        Assert.Equal(["50", "10", "30"], split.ItemIds);
        DataAssert.SameMatrix(new ClickMatrix(3, 3, [0, 2, 3, 5], [0, 1, 2, 0, 2]), split.Train);
        Assert.Equal(["0", "1", "2"], split.TrainUserIds);
        DataAssert.SameMatrix(new ClickMatrix(3, 3, [0, 2, 3, 5], [0, 1, 2, 0, 1]), split.Validation.FoldIn);
        DataAssert.SameMatrix(new ClickMatrix(3, 3, [0, 1, 1, 2], [2, 2]), split.Validation.HeldOut);
        Assert.Equal(["3", "4", "5"], split.Validation.UserIds);
        DataAssert.SameMatrix(new ClickMatrix(3, 3, [0, 1, 1, 3], [0, 1, 2]), split.Test.FoldIn);
        DataAssert.SameMatrix(new ClickMatrix(3, 3, [0, 0, 0, 1], [0]), split.Test.HeldOut);
        Assert.Equal(["7", "8", "9"], split.Test.UserIds);
        DataAssert.SameSplit(split, SplitStore.Load(folder.Path));
    }

    [Fact]
    public void Save_SplitLoadedFromReferenceFolderWithGapRow_RoundTrips()
    {
        using var source = new TempFolder();
        source.Write("unique_sid.txt", "a\nb\n");
        source.Write("train.csv", "uid,sid\n0,0\n1,1\n");
        source.Write("validation_tr.csv", "uid,sid\n2,0\n4,1\n");
        source.Write("validation_te.csv", "uid,sid\n4,0\n");
        source.Write("test_tr.csv", "uid,sid\n5,1\n");
        source.Write("test_te.csv", "uid,sid\n5,0\n");
        var split = SplitStore.Load(source.Path);
        using var target = new TempFolder();

        SplitStore.Save(split, target.Path);

        Assert.Equal(3, split.Validation.UserCount);
        DataAssert.SameSplit(split, SplitStore.Load(target.Path, useCache: false));
    }

    [Fact]
    public void Save_LastValidationUserWithoutClicks_IsRefused()
    {
        var empty = new ClickMatrix(2, 1, [0, 1, 1], [0]);
        var users = new HeldOutUsers(empty, new ClickMatrix(2, 1, [0, 0, 0], []), ["v1", "v2"]);
        var none = new HeldOutUsers(new ClickMatrix(0, 1, [0], []), new ClickMatrix(0, 1, [0], []), []);
        var split = new DataSplit(["x"], new ClickMatrix(1, 1, [0, 1], [0]), ["t"], users, none);
        using var folder = new TempFolder();

        Assert.Throws<ArgumentException>(() => SplitStore.Save(split, folder.Path));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Load_ValidCacheWithUnchangedFingerprint_IsUsed()
    {
        using var folder = new TempFolder();
        var split = SampleSplit();
        SplitStore.Save(split, folder.Path);
        // Same length and write time, different content: only the cache still says "item10".
        var path = folder.File("unique_sid.txt");
        var stamp = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("item10\n", "itemXY\n"));
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.Equal("item10", SplitStore.Load(folder.Path).ItemIds.Single(id => id is "item10" or "itemXY"));
        Assert.Equal("itemXY", SplitStore.Load(folder.Path, useCache: false).ItemIds.Single(id => id is "item10" or "itemXY"));
    }

    [Fact]
    public void Load_CorruptCache_FallsBackToCsvAndRewritesIt()
    {
        using var folder = new TempFolder();
        var split = SampleSplit();
        SplitStore.Save(split, folder.Path);
        var cache = folder.File(SplitStore.CacheFileName);
        var good = File.ReadAllBytes(cache);
        var bad = (byte[])good.Clone();
        bad[bad.Length / 2] ^= 0x5A;
        File.WriteAllBytes(cache, bad);

        DataAssert.SameSplit(split, SplitStore.Load(folder.Path));
        Assert.Equal(good, File.ReadAllBytes(cache));
    }

    [Fact]
    public void Load_StaleCacheAfterCsvEdit_ReadsTheCsv()
    {
        using var folder = new TempFolder();
        var split = SampleSplit();
        SplitStore.Save(split, folder.Path);
        int newItem = Enumerable.Range(0, split.ItemCount).First(i => !split.Train.Row(0).Contains(i));
        File.AppendAllText(folder.File("train.csv"), $"0,{newItem}\n");

        var loaded = SplitStore.Load(folder.Path);

        Assert.Equal(split.Train.NonZeroCount + 1, loaded.Train.NonZeroCount);
        Assert.Contains(newItem, loaded.Train.Row(0).ToArray());
    }

    [Fact]
    public void Load_SidOutOfRange_NamesFileLineAndField()
    {
        using var folder = new TempFolder();
        folder.Write("unique_sid.txt", "a\nb\n");
        var train = folder.Write("train.csv", "uid,sid\n0,0\n0,2\n");

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(folder.Path, useCache: false));

        DataAssert.Names(e, train, 3, "sid", "2");
    }

    [Fact]
    public void Load_BadHeaderOrNumber_NamesFileLineAndField()
    {
        using var folder = new TempFolder();
        folder.Write("unique_sid.txt", "a\nb\n");
        folder.Write("train.csv", "uid,sid\n0,0\nx,1\n");

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(folder.Path, useCache: false));
        DataAssert.Names(e, folder.File("train.csv"), 3, "uid", "x");

        folder.Write("train.csv", "user,item\n0,0\n");
        e = Assert.Throws<DataFormatException>(() => SplitStore.Load(folder.Path, useCache: false));
        DataAssert.Names(e, folder.File("train.csv"), 1, "header", "user,item");
    }

    [Fact]
    public void Load_MissingItemList_SaysWhichFile()
    {
        using var folder = new TempFolder();
        folder.Write("train.csv", "uid,sid\n0,0\n");

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(folder.Path));

        DataAssert.Names(e, folder.File("unique_sid.txt"), 0, "file");
    }

    [Fact]
    public void Load_MissingFolder_SaysSo()
    {
        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(Path.Combine(Path.GetTempPath(), "vaecf-no-such-split")));

        Assert.Contains("does not exist", e.Message);
    }
}
