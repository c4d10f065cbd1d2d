using System.Collections;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>
/// Writing a split over an older one replaces the folder's split as a whole: a failure part-way leaves the older
/// split exactly as it was, and a write cut off while renaming leaves a marker that makes readers refuse the folder.
/// </summary>
public sealed class SplitStoreReplaceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static DataSplit SampleSplit(int seed)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < 70; u++)
            for (int k = random.Next(5, 15); k > 0; k--) { rows.Add(u); columns.Add(random.Next(30)); }
        var data = new ClickDataSet(ClickMatrix.FromPairs(70, 30, rows.ToArray(), columns.ToArray()),
            [.. Enumerable.Range(0, 70).Select(u => $"u{u}")], [.. Enumerable.Range(0, 30).Select(i => $"i{i}")]);
        return StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 7, Seed = (ulong)seed });
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(_folder.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Save_FailingAtTheLastFile_LeavesTheOlderSplitAsItWas()
    {
        var older = SampleSplit(1);
        SplitStore.Save(older, _folder.Path);
        var before = Snapshot();
        var newer = SampleSplit(2);
        // The disk fills while unique_uid.txt, the last text file, is written.
        var failing = new DataSplit(newer.ItemIds, newer.Train, new FailingIds(newer.TrainUserIds), newer.Validation, newer.Test);

        var e = Assert.Throws<IOException>(() => SplitStore.Save(failing, _folder.Path));

        Assert.Equal(FailingIds.Message, e.Message);
        var after = Snapshot();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
        DataAssert.SameSplit(older, SplitStore.Load(_folder.Path, useCache: false));
        DataAssert.SameSplit(older, SplitStore.Load(_folder.Path));
    }

    [Fact]
    public void Load_FolderWhoseWriteWasCutOff_IsRefusedUntilWrittenAgain()
    {
        var split = SampleSplit(1);
        SplitStore.Save(split, _folder.Path);
        Assert.False(File.Exists(_folder.File(SplitStore.IncompleteMarkerName)));
        // What a write cut off between its first and last rename leaves.
        var marker = _folder.Write(SplitStore.IncompleteMarkerName, "");

        foreach (bool useCache in new[] { true, false })
        {
            var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path, useCache));
            DataAssert.Names(e, marker, 0, "file");
            Assert.Contains("may mix two splits", e.Message);
        }

        SplitStore.Save(split, _folder.Path);

        Assert.False(File.Exists(marker));
        DataAssert.SameSplit(split, SplitStore.Load(_folder.Path));
    }

    [Fact]
    public void Save_OverAnOlderSplit_KeepsOtherFiles_AndLeavesNoTemporaryFile()
    {
        var notes = _folder.Write("notes.txt", "mine");
        var sub = _folder.Write("runs/model.txt", "also mine");
        SplitStore.Save(SampleSplit(1), _folder.Path);
        var newer = SampleSplit(2);

        SplitStore.Save(newer, _folder.Path);

        Assert.Equal("mine", File.ReadAllText(notes));
        Assert.Equal("also mine", File.ReadAllText(sub));
        string[] expected = [.. "train.csv validation_tr.csv validation_te.csv test_tr.csv test_te.csv unique_sid.txt unique_uid.txt split.bin notes.txt".Split(' ')];
        Assert.Equal(expected.Order(), Directory.GetFiles(_folder.Path).Select(f => Path.GetFileName(f)).Order());
        DataAssert.SameSplit(newer, SplitStore.Load(_folder.Path, useCache: false));
    }

    /// <summary>User ids whose reading fails as a full disk would fail the write.</summary>
    private sealed class FailingIds(IReadOnlyList<string> ids) : IReadOnlyList<string>
    {
        public const string Message = "No space left on device";

        public int Count => ids.Count;

        public string this[int index] => throw new IOException(Message);

        public IEnumerator<string> GetEnumerator() => throw new IOException(Message);

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
