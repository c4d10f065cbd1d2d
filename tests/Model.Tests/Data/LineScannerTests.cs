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

    [Fact]
    public void TryReadLine_ALineLongerThanTheLimit_IsRefusedNamingItsLine()
    {
        using var folder = new TempFolder();
        var path = folder.File("one-long-line.txt");
        // A line at the limit is read; the next one, a character over it, is refused (it grew the buffer without bound).
        File.WriteAllText(path, "first\n" + new string('x', LineScanner.MaxLineChars) + "\n" + new string('y', LineScanner.MaxLineChars + 1) + "\n");

        using var scanner = LineScanner.Open(path);
        Assert.True(scanner.TryReadLine(out _));
        Assert.True(scanner.TryReadLine(out var atLimit));
        Assert.Equal(LineScanner.MaxLineChars, atLimit.Length);
        var e = Assert.Throws<DataFormatException>(() => scanner.TryReadLine(out _));

        Assert.Equal(3, e.LineNumber);
        Assert.Contains("field 'line'", e.Message);
        Assert.Contains("longer than 16,777,216 characters", e.Message);
    }
}
