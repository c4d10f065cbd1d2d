using SkiaSharp;
using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

/// <summary>
/// Proves text is really drawn (a font was found and its glyphs rendered): two plots that differ only in one text
/// of the same length must differ in pixels, and only where that text sits. Missing fonts or missing glyphs
/// (e.g. β drawn as the same empty box as γ) would leave the two images identical.
/// </summary>
public sealed class PlotTextTests : IDisposable
{
    private const int Width = 800, Height = 500;
    private readonly PlotFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void LinePlot_Title_IsDrawnInTheTopBand()
    {
        var curves = SampleData.AnnealingCurves();
        string a = _folder.File("a.png"), b = _folder.File("b.png");

        LinePlot.Save(a, "Validation AAAA", "Epochs", "NDCG@100", curves);
        LinePlot.Save(b, "Validation BBBB", "Epochs", "NDCG@100", curves);

        var diff = PixelDiff.Of(a, b);
        Assert.True(diff.Count > 100, $"only {diff.Count} pixels differ");
        Assert.InRange(diff.MaxY, 0, 45);
        Assert.True(PixelDiff.DarkPixels(a, 0, 45) > 100, "no dark title glyphs in the top band");
    }

    [Fact]
    public void LinePlot_GreekLegendLabel_IsDrawnInTheLegendBelowTheAxes()
    {
        string a = _folder.File("a.png"), b = _folder.File("b.png");

        LinePlot.Save(a, "t", "Epochs", "NDCG@100", SampleData.AnnealingCurves("anneal to β = 0.2"));
        LinePlot.Save(b, "t", "Epochs", "NDCG@100", SampleData.AnnealingCurves("anneal to γ = 0.2"));

        var diff = PixelDiff.Of(a, b);
        Assert.True(diff.Count > 20, $"only {diff.Count} pixels differ");
        Assert.InRange(diff.MinY, (int)(Height * 0.85), Height);
    }

    [Fact]
    public void LinePlot_RotatedYLabel_IsDrawnLeftOfTheAxis()
    {
        var curves = SampleData.AnnealingCurves();
        string a = _folder.File("a.png"), b = _folder.File("b.png");

        LinePlot.Save(a, "t", "Epochs", "NDCG@100", curves);
        LinePlot.Save(b, "t", "Epochs", "NDCG@200", curves);

        var diff = PixelDiff.Of(a, b);
        Assert.True(diff.Count > 20, $"only {diff.Count} pixels differ");
        Assert.InRange(diff.MaxX, 0, 30);
    }

    [Fact]
    public void GroupedBarPlot_Annotation_IsDrawnOverTheFirstGroupOnly()
    {
        string a = _folder.File("a.png"), b = _folder.File("b.png");

        GroupedBarPlot.Save(a, "t", "NDCG@100", SampleData.Models, SampleData.Quintiles("***"));
        GroupedBarPlot.Save(b, "t", "NDCG@100", SampleData.Models, SampleData.Quintiles("+++"));

        var diff = PixelDiff.Of(a, b);
        Assert.True(diff.Count > 20, $"only {diff.Count} pixels differ");
        // Five groups share the data area (x from about 60 to 790): the first fifth ends near x = 210.
        Assert.InRange(diff.MaxX, 0, 230);
    }

    /// <summary>Bounding box and count of the pixels that differ between two PNGs of equal size.</summary>
    private sealed record PixelDiff(int Count, int MinX, int MaxX, int MinY, int MaxY)
    {
        public static PixelDiff Of(string pathA, string pathB)
        {
            using var a = SKBitmap.Decode(pathA);
            using var b = SKBitmap.Decode(pathB);
            Assert.Equal((Width, Height), (a.Width, a.Height));
            Assert.Equal((Width, Height), (b.Width, b.Height));
            SKColor[] pa = a.Pixels, pb = b.Pixels;
            int count = 0, minX = int.MaxValue, maxX = -1, minY = int.MaxValue, maxY = -1;
            for (int i = 0; i < pa.Length; i++)
            {
                if (pa[i] == pb[i])
                    continue;
                int x = i % a.Width, y = i / a.Width;
                count++;
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
            return new PixelDiff(count, minX, maxX, minY, maxY);
        }

        /// <summary>Pixels in rows [top, bottom] whose red, green and blue are all below 100 (text is near black).</summary>
        public static int DarkPixels(string path, int top, int bottom)
        {
            using var bitmap = SKBitmap.Decode(path);
            SKColor[] pixels = bitmap.Pixels;
            int count = 0;
            for (int y = top; y <= bottom; y++)
                for (int x = 0; x < bitmap.Width; x++)
                {
                    var c = pixels[y * bitmap.Width + x];
                    if (c.Red < 100 && c.Green < 100 && c.Blue < 100)
                        count++;
                }
            return count;
        }
    }
}
