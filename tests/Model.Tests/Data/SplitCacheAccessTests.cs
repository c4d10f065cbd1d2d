using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>A <c>split.bin</c> this user may not read is ignored like a corrupt one: the CSV files are the truth.</summary>
public sealed class SplitCacheAccessTests
{
    [RequiresUnixFilePermissionsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Load_UnreadableCache_FallsBackToTheCsvFiles()
    {
        using var folder = new TempFolder();
        var random = new Random(3);
        var rows = new List<int>();
        var columns = new List<int>();
        for (int u = 0; u < 50; u++)
            for (int k = random.Next(5, 12); k > 0; k--) { rows.Add(u); columns.Add(random.Next(20)); }
        var data = new ClickDataSet(ClickMatrix.FromPairs(50, 20, rows.ToArray(), columns.ToArray()),
            [.. Enumerable.Range(0, 50).Select(u => $"u{u}")], [.. Enumerable.Range(0, 20).Select(i => $"i{i}")]);
        var split = StrongGeneralizationSplitter.Split(data, new SplitOptions { HeldOutUserCount = 5 });
        SplitStore.Save(split, folder.Path);
        var cache = folder.File(SplitStore.CacheFileName);
        File.SetUnixFileMode(cache, UnixFileMode.None);
        Assert.Throws<UnauthorizedAccessException>(() => File.ReadAllBytes(cache));

        DataAssert.SameSplit(split, SplitStore.Load(folder.Path));
    }
}
