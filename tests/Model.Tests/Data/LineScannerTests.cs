using System.Text;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class LineScannerTests
{
    [Fact]
    public void TryReadLine_BomCrlfLongLinesAndNoFinalNewline_ReturnsEveryLine()
    {
        using var folder = new TempFolder();
        var longLine = new string('x', 1_500_000);
        var path = folder.File("lines.txt");
        File.WriteAllText(path, $"first\r\n{longLine}\n\nlast", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var lines = new List<string>();
        using (var scanner = LineScanner.Open(path))
        {
            while (scanner.TryReadLine(out var line)) lines.Add(line.ToString());
            Assert.Equal(4, scanner.LineNumber);
        }

        Assert.Equal(["first", longLine, "", "last"], lines);
    }

    [Fact]
    public void Open_Folder_SaysItIsAFolder()
    {
        using var folder = new TempFolder();

        var e = Assert.Throws<DataFormatException>(() => LineScanner.Open(folder.Path));

        Assert.Contains("is a folder", e.Message);
    }
}
