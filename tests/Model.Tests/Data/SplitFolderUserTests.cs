using System.Globalization;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>
/// A split folder whose users cross from one part into another is refused at the row that does it: the written
/// numbering puts training, then validation, then test users in disjoint uid ranges, and every held-out user has
/// fold-in rows. Without the check one stray row stretched a part's uid range over hundreds of other users.
/// </summary>
public sealed class SplitFolderUserTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public SplitFolderUserTests() => SplitStore.Save(SampleSplit(), _folder.Path);

    public void Dispose() => _folder.Dispose();

    /// <summary>60 users with 3 to 14 clicks over 30 items; 8 validation and 8 test users.</summary>
    private static DataSplit SampleSplit()
    {
        var random = new Random(11);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < 60; u++)
            for (int k = random.Next(3, 15); k > 0; k--) { rows.Add(u); columns.Add(random.Next(30)); }
        var data = new ClickDataSet(ClickMatrix.FromPairs(60, 30, rows.ToArray(), columns.ToArray()),
            [.. Enumerable.Range(0, 60).Select(u => $"u{u}")], [.. Enumerable.Range(0, 30).Select(i => $"i{i}")]);
        return StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 8 });
    }

    /// <summary>The uids of a written file, read as plain text.</summary>
    private int[] Uids(string name) =>
        [.. File.ReadLines(_folder.File(name)).Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture))];

    private string Range(params string[] names)
    {
        var uids = names.SelectMany(Uids).ToArray();
        return $"{uids.Min()}..{uids.Max()}";
    }

    /// <summary>Appends a row and returns its line number.</summary>
    private long Append(string name, int uid)
    {
        File.AppendAllText(_folder.File(name), $"{uid},0\n");
        return File.ReadAllLines(_folder.File(name)).Length;
    }

    private DataFormatException Refusal() => Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));

    [Fact]
    public void Load_TrainingUidAppendedToValidationFoldIn_NamesThatRow()
    {
        string training = Range("train.csv");
        long line = Append("validation_tr.csv", 5);

        var e = Refusal();

        DataAssert.Names(e, _folder.File("validation_tr.csv"), line, "uid");
        Assert.Contains($"uid 5 is a training user (train.csv holds uids {training})", e.Message);
    }

    [Fact]
    public void Load_TrainingOrValidationUidInTestHeldOut_NamesThatRow()
    {
        string training = Range("train.csv"), validation = Range("validation_tr.csv", "validation_te.csv");
        long line = Append("test_te.csv", 10);

        var e = Refusal();

        DataAssert.Names(e, _folder.File("test_te.csv"), line, "uid");
        Assert.Contains($"uid 10 is a training user (train.csv holds uids {training})", e.Message);

        SplitStore.Save(SampleSplit(), _folder.Path);
        int validationUser = Uids("validation_tr.csv")[3];
        line = Append("test_te.csv", validationUser);

        e = Refusal();

        DataAssert.Names(e, _folder.File("test_te.csv"), line, "uid");
        Assert.Contains($"uid {validationUser} is a validation user (validation_tr.csv and validation_te.csv hold uids {validation})", e.Message);
    }

    [Fact]
    public void Load_HeldOutUidAppendedToTrain_NamesTheTrainingRow_AndATestUidInValidation_NamesTheValidationRow()
    {
        string validation = Range("validation_tr.csv", "validation_te.csv"), test = Range("test_tr.csv", "test_te.csv");
        int validationUser = Uids("validation_te.csv").Max();
        long line = Append("train.csv", validationUser);

        var e = Refusal();

        DataAssert.Names(e, _folder.File("train.csv"), line, "uid");
        Assert.Contains($"uid {validationUser} is a validation user (validation_tr.csv and validation_te.csv hold uids {validation})", e.Message);

        SplitStore.Save(SampleSplit(), _folder.Path);
        int testUser = Uids("test_tr.csv").Max();
        line = Append("validation_tr.csv", testUser);

        e = Refusal();

        DataAssert.Names(e, _folder.File("validation_tr.csv"), line, "uid");
        Assert.Contains($"uid {testUser} is a test user (test_tr.csv and test_te.csv hold uids {test})", e.Message);
    }

    [Fact]
    public void Load_HeldOutUserWithoutFoldInRows_IsRefused()
    {
        // Reference layout: validation users 3..5; uid 4 has held-out rows only.
        using var folder = new TempFolder();
        folder.Write("unique_sid.txt", "a\nb\nc\n");
        folder.Write("train.csv", "uid,sid\n0,0\n1,1\n2,2\n");
        folder.Write("validation_tr.csv", "uid,sid\n3,0\n5,1\n");
        var heldOut = folder.Write("validation_te.csv", "uid,sid\n3,1\n\n4,2\n");
        folder.Write("test_tr.csv", "uid,sid\n6,0\n");
        folder.Write("test_te.csv", "uid,sid\n6,1\n");

        var e = Assert.Throws<DataFormatException>(() => SplitStore.Load(folder.Path, useCache: false));

        DataAssert.Names(e, heldOut, 4, "uid");
        Assert.Contains("uid 4 has no row in validation_tr.csv", e.Message);
    }

    [Fact]
    public void Save_HeldOutUserWithoutFoldInClicks_IsRefusedBeforeWriting()
    {
        // Validation user "v2" has a held-out click and no fold-in click: the folder would not load again.
        var users = new HeldOutUsers(new ClickMatrix(3, 2, [0, 1, 1, 2], [0, 1]), new ClickMatrix(3, 2, [0, 1, 2, 2], [1, 0]), ["v1", "v2", "v3"]);
        var test = new HeldOutUsers(new ClickMatrix(1, 2, [0, 1], [0]), new ClickMatrix(1, 2, [0, 1], [1]), ["s1"]);
        var split = new DataSplit(["a", "b"], new ClickMatrix(1, 2, [0, 2], [0, 1]), ["t1"], users, test);
        using var folder = new TempFolder();

        var e = Assert.Throws<ArgumentException>(() => SplitStore.Save(split, folder.Path));

        Assert.Contains("validation user v2 has held-out clicks but no fold-in click", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData("validation", "validation NDCG@100")]
    [InlineData("test", "the test metrics")]
    public void Load_NoHeldOutItem_IsRefusedNamingTheHeldOutFile(string part, string why)
    {
        // Header-only files (a run used to train an epoch, then fail writing an infinite metric).
        File.WriteAllText(_folder.File($"{part}_te.csv"), "uid,sid\n");
        if (part == "validation") File.WriteAllText(_folder.File("validation_tr.csv"), "uid,sid\n");

        var e = Refusal();

        DataAssert.Names(e, _folder.File($"{part}_te.csv"), 0, "file");
        Assert.Contains($"no {part} user has a held-out item (the file has no rows): {why}", e.Message);
    }

    [Fact]
    public void Save_NoTestUserWithAHeldOutItem_IsRefusedBeforeWriting()
    {
        var foldIn = new ClickMatrix(2, 2, [0, 1, 2], [0, 1]);
        var noneHeldOut = new ClickMatrix(2, 2, [0, 0, 0], []);
        var validation = new HeldOutUsers(foldIn, new ClickMatrix(2, 2, [0, 1, 1], [1]), ["v1", "v2"]);
        var split = new DataSplit(["a", "b"], new ClickMatrix(1, 2, [0, 2], [0, 1]), ["t1"], validation, new HeldOutUsers(foldIn, noneHeldOut, ["s1", "s2"]));
        using var folder = new TempFolder();

        var e = Assert.Throws<ArgumentException>(() => SplitStore.Save(split, folder.Path));

        Assert.Contains("No test user has a held-out item", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Load_CacheWrittenByAnEarlierVersion_IsCheckedAgainstTheCsv()
    {
        // Version 1 caches were written from folders nobody checked: such a cache must not keep a bad folder loading.
        var cache = _folder.File(SplitStore.CacheFileName);
        Append("validation_tr.csv", 5);
        Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));
        var bytes = SplitCache.Encode(SampleSplit(), SplitCache.Fingerprint(_folder.Path));
        BitConverter.GetBytes(1).CopyTo(bytes, 8);
        File.WriteAllBytes(cache, bytes);

        Assert.Throws<DataFormatException>(() => SplitStore.Load(_folder.Path));
    }
}
