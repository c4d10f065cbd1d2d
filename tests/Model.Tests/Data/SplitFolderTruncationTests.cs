using System.Globalization;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>
/// A split file cut short at a line boundary loses its last users; with <c>unique_uid.txt</c>, which lists every
/// user, the folder is refused instead of loading silently as a smaller split.
/// </summary>
public sealed class SplitFolderTruncationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static DataSplit SampleSplit()
    {
        var random = new Random(23);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < 80; u++)
            for (int k = random.Next(5, 15); k > 0; k--) { rows.Add(u); columns.Add(random.Next(40)); }
        var data = new ClickDataSet(ClickMatrix.FromPairs(80, 40, rows.ToArray(), columns.ToArray()),
            [.. Enumerable.Range(0, 80).Select(u => $"u{u}")], [.. Enumerable.Range(0, 40).Select(i => $"i{i}")]);
        return StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 10 });
    }

    private int[] Uids(string name) =>
        [.. File.ReadLines(_folder.File(name)).Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture))];

    /// <summary>Keeps the header and the rows of users below <paramref name="uid"/> (the file is in uid order).</summary>
    private void CutBefore(string name, int uid) =>
        File.WriteAllLines(_folder.File(name), File.ReadAllLines(_folder.File(name))
            .Where((line, k) => k == 0 || int.Parse(line.Split(',')[0], CultureInfo.InvariantCulture) < uid));

    [Fact]
    public void Load_TrainCutShort_NamesTrainAndTheMissingUids()
    {
        SplitStore.Save(SampleSplit(), _folder.Path);
        int validationStart = Uids("validation_tr.csv").Min();
        CutBefore("train.csv", 31);

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));

        DataAssert.Names(e, _folder.File("train.csv"), 0, "uid");
        Assert.Contains($"the training users end at uid 30 but the validation users start at uid {validationStart}: " +
                        $"unique_uid.txt lists uids 31..{validationStart - 1}, which no file holds", e.Message);
    }

    [Fact]
    public void Load_TestFilesCutShort_NamesTestFoldInAndTheListedCount()
    {
        SplitStore.Save(SampleSplit(), _folder.Path);
        int listed = File.ReadAllLines(_folder.File("unique_uid.txt")).Length;
        int lastTestUser = Uids("test_tr.csv").Max();
        CutBefore("test_tr.csv", lastTestUser);
        CutBefore("test_te.csv", lastTestUser);

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));

        DataAssert.Names(e, _folder.File("test_tr.csv"), 0, "uid");
        Assert.Equal(lastTestUser, listed - 1);
        Assert.Contains($"the test users end at uid {lastTestUser - 1} but unique_uid.txt lists uid {lastTestUser} too, which no file holds", e.Message);
    }

    [Fact]
    public void Load_ValidationFoldInCutShort_NamesTheHeldOutRowLeftWithoutFoldIn()
    {
        SplitStore.Save(SampleSplit(), _folder.Path);
        int lastValidationUser = Uids("validation_te.csv").Max();
        CutBefore("validation_tr.csv", lastValidationUser);
        long line = Array.FindIndex(File.ReadAllLines(_folder.File("validation_te.csv")), l => l.StartsWith($"{lastValidationUser},", StringComparison.Ordinal)) + 1;

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));

        DataAssert.Names(e, _folder.File("validation_te.csv"), line, "uid");
        Assert.Contains($"uid {lastValidationUser} has no row in validation_tr.csv", e.Message);
    }

    [RequiresDataSetFact("ml-100k")]
    public void Load_MovieLens100kTrainCutAtALineBoundary_IsRefused()
    {
        // The audit's case: the first 200,000 bytes of train.csv, to the last whole line.
        var source = DataCatalog.DataSet("ml-100k");
        var split = StrongGeneralizationSplitter.Split(source.Load(), source.Split);
        SplitStore.Save(split, _folder.Path);
        var train = _folder.File("train.csv");
        var text = File.ReadAllText(train)[..200_000];
        File.WriteAllText(train, text[..(text.LastIndexOf('\n') + 1)]);
        int lastKept = Uids("train.csv").Max();

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));

        DataAssert.Names(e, train, 0, "uid");
        Assert.Contains($"the training users end at uid {lastKept} but the validation users start at uid {split.Train.RowCount}: " +
                        $"unique_uid.txt lists uids {lastKept + 1}..{split.Train.RowCount - 1}, which no file holds", e.Message);
    }
}
