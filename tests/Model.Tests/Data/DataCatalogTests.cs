using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class DataCatalogTests
{
    [Fact]
    public void Names_ListTheSharedSetsAndTheFormats()
    {
        Assert.Equal(["ml-100k", "ml-1m", "ml-latest-small", "citeulike-a"], DataCatalog.DataSetNames);
        Assert.Equal(["ml-100k", "ml-1m", "ml-20m", "netflix", "msd", "citeulike", "csv"], DataCatalog.FormatNames);
    }

    [Fact]
    public void DataSet_MovieLens1M_PointsUnderTheDataRootWithPaperPreprocessing()
    {
        var source = DataCatalog.DataSet("ML-1M");

        Assert.Equal("ml-1m", source.Name);
        Assert.StartsWith(DataLocator.DataSet("ml-1m"), source.Path);
        Assert.IsType<DelimitedRatingReader>(source.Reader);
        Assert.Equal(3.5, source.Preprocessing.RatingThreshold);
        Assert.Equal(5, source.Preprocessing.MinUserCount);
        Assert.Null(source.Split.HeldOutUserCount);
        Assert.Equal(SplitOptions.DefaultSeed, source.Split.Seed);
    }

    [Fact]
    public void FromPath_FolderForMovieLens1M_PicksTheRatingsFileThatExists()
    {
        using var folder = new TempFolder();
        folder.Write("ratings_without_timestamps.dat", "1::2::5\n");

        var source = DataCatalog.FromPath(folder.Path, "ml-1m");

        Assert.Equal(folder.File("ratings_without_timestamps.dat"), source.Path);
        Assert.Equal([("1", "2", 5f)], DataAssert.Rows(source.ReadRatings()));
    }

    [Fact]
    public void FromPath_PaperFormats_CarryThePaperSettings()
    {
        var msd = DataCatalog.FromPath("/data/msd", "msd");
        var netflix = DataCatalog.FromPath("/data/netflix", "netflix");

        Assert.Equal((0, null, 200, 20), (0, msd.Preprocessing.RatingThreshold, msd.Preprocessing.MinItemCount, msd.Preprocessing.MinUserCount));
        Assert.Equal(50_000, msd.Split.HeldOutUserCount);
        Assert.Equal("/data/netflix", netflix.Path);
        Assert.Equal(40_000, netflix.Split.HeldOutUserCount);
        Assert.Equal(10_000, DataCatalog.FromPath("ratings.csv", "ml-20m").Split.HeldOutUserCount);
    }

    [Fact]
    public void FromPath_Csv_LoadsImplicitClicks()
    {
        using var folder = new TempFolder();
        var path = folder.Write("clicks.csv", "user,item\n" + string.Concat(Enumerable.Range(0, 12).Select(k => $"u{k % 2},i{k}\n")));

        var data = DataCatalog.FromPath(path, "csv").Load();

        Assert.Equal(2, data.UserCount);
        Assert.Equal(12, data.ClickCount);
    }

    [Fact]
    public void Unknown_Names_ListTheKnownOnes()
    {
        var format = Assert.Throws<ArgumentException>(() => DataCatalog.FromPath("x", "parquet"));
        var set = Assert.Throws<ArgumentException>(() => DataCatalog.DataSet("ml-30m"));

        Assert.Contains("netflix", format.Message);
        Assert.Contains("citeulike-a", set.Message);
    }
}
