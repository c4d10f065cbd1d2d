using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class FieldSplitterTests
{
    [Theory]
    [InlineData(",")]
    [InlineData("::")]
    [InlineData("\t")]
    public void Split_RandomLines_MatchesMemoryExtensionsSplit(string delimiter)
    {
        var random = new Random(delimiter.Length);
        string alphabet = "ab1:,\t";
        Span<Range> expected = stackalloc Range[4];
        Span<Range> actual = stackalloc Range[4];
        for (int k = 0; k < 5_000; k++)
        {
            var line = new string(Enumerable.Range(0, random.Next(0, 14)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            int n = line.AsSpan().Split(expected, delimiter);
            int m = FieldSplitter.Split(line, actual, delimiter);

            Assert.Equal(n, m);
            for (int f = 0; f < n; f++) Assert.Equal(line[expected[f]], line[actual[f]]);
        }
    }
}
