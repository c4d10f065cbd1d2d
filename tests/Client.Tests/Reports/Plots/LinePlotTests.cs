using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

public sealed class LinePlotTests : IDisposable
{
    private readonly PlotFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Save_ThreeAnnealingCurves_WritesPngOfRequestedSize()
    {
        string path = _folder.File("figure1.png");

        LinePlot.Save(path, "Figure 1", "Epochs", "Validation NDCG@100", SampleData.AnnealingCurves(), 700, 430);

        _folder.AssertSinglePng(path, 700, 430);
    }

    [Fact]
    public void Save_MissingNestedFolder_CreatesItAndLeavesNoTempFile()
    {
        string path = Path.Combine(_folder.Root, "a", "b", "figure1.png");

        LinePlot.Save(path, "Figure 1", "Epochs", "NDCG@100", SampleData.AnnealingCurves());

        _folder.AssertSinglePng(path, 800, 500);
    }

    [Fact]
    public void Save_ExistingFile_IsReplaced()
    {
        string path = _folder.File("figure1.png");
        Directory.CreateDirectory(_folder.Root);
        File.WriteAllText(path, "not a png");

        LinePlot.Save(path, "Figure 1", "Epochs", "NDCG@100", SampleData.AnnealingCurves());

        _folder.AssertSinglePng(path, 800, 500);
    }

    [Fact]
    public void Save_NaNPoints_DrawTheSameImageAsTheSeriesWithoutThem()
    {
        var clean = SampleData.AnnealingCurves();
        // Insert NaN points (one NaN Y, one NaN X) into the first curve; they must be skipped, not drawn.
        var x = clean[0].X.ToList();
        var y = clean[0].Y.ToList();
        x.Insert(5, 5.5);
        y.Insert(5, double.NaN);
        x.Insert(20, double.NaN);
        y.Insert(20, 0.9);
        var withNaN = clean.ToArray();
        withNaN[0] = clean[0] with { X = x, Y = y };
        string cleanPath = _folder.File("clean.png"), nanPath = _folder.File("nan.png");

        LinePlot.Save(cleanPath, "t", "x", "y", clean);
        LinePlot.Save(nanPath, "t", "x", "y", withNaN);

        Assert.Equal(File.ReadAllBytes(cleanPath), File.ReadAllBytes(nanPath));
    }

    [Fact]
    public void Save_OneSeriesAllNaNAndOneSinglePoint_StillWritesPng()
    {
        string path = _folder.File("sparse.png");
        LineSeries[] series =
        [
            new("never measured", [1, 2], [double.NaN, double.NaN]),
            new("one epoch", [1], [0.3]),
            SampleData.AnnealingCurves()[0],
        ];

        LinePlot.Save(path, "t", "x", "y", series);

        _folder.AssertSinglePng(path, 800, 500);
    }

    public static TheoryData<string> InvalidCases => new(InvalidInputs.Keys);

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Save_InvalidInput_ThrowsNamingArgumentAndWritesNothing(string invalidCase)
    {
        var (save, parameter) = InvalidInputs[invalidCase];
        string path = Path.Combine(_folder.Root, "sub", "figure1.png");

        var error = Assert.ThrowsAny<ArgumentException>(() => save(path));

        Assert.Equal(parameter, error.ParamName);
        Assert.False(Directory.Exists(_folder.Root), "nothing may be created on rejected input");
    }

    private static readonly Dictionary<string, (Action<string> Save, string Parameter)> InvalidInputs = new()
    {
        ["empty series list"] = (p => LinePlot.Save(p, "t", "x", "y", []), "series"),
        ["null series list"] = (p => LinePlot.Save(p, "t", "x", "y", null!), "series"),
        ["X longer than Y"] = (p => LinePlot.Save(p, "t", "x", "y", [new("a", [1, 2, 3], [1, 2])]), "series"),
        ["no points"] = (p => LinePlot.Save(p, "t", "x", "y", [new("a", [], [])]), "series"),
        ["infinite Y"] = (p => LinePlot.Save(p, "t", "x", "y", [new("a", [1, 2], [1, double.PositiveInfinity])]), "series"),
        ["infinite X"] = (p => LinePlot.Save(p, "t", "x", "y", [new("a", [double.NegativeInfinity, 2], [1, 2])]), "series"),
        ["every point NaN"] = (p => LinePlot.Save(p, "t", "x", "y", [new("a", [1, 2], [double.NaN, double.NaN])]), "series"),
        ["null label"] = (p => LinePlot.Save(p, "t", "x", "y", [new(null!, [1], [1])]), "series"),
        ["null title"] = (p => LinePlot.Save(p, null!, "x", "y", SampleData.AnnealingCurves()), "title"),
        ["null x label"] = (p => LinePlot.Save(p, "t", null!, "y", SampleData.AnnealingCurves()), "xLabel"),
        ["empty path"] = (_ => LinePlot.Save(" ", "t", "x", "y", SampleData.AnnealingCurves()), "path"),
        ["width too small"] = (p => LinePlot.Save(p, "t", "x", "y", SampleData.AnnealingCurves(), width: 10), "width"),
        ["height too large"] = (p => LinePlot.Save(p, "t", "x", "y", SampleData.AnnealingCurves(), height: 100_000), "height"),
    };
}
