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

    [Theory]
    [InlineData("\"u1\",\"i,2\",4", ",", 4, new[] { "u1", "i,2", "4" })]
    [InlineData("\"a\"\"b\",c", ",", 4, new[] { "a\"\"b", "c" })]
    [InlineData("\"open,c", ",", 4, new[] { "\"open", "c" })]
    [InlineData("\"x\"y,z", ",", 4, new[] { "\"x\"y", "z" })]
    [InlineData("a,\"b\"", ",", 4, new[] { "a", "b" })]
    [InlineData("\"a\"::\"b::c\"", "::", 4, new[] { "a", "b::c" })]
    [InlineData("\"\",1", ",", 4, new[] { "", "1" })]
    [InlineData("\"a\",\"b\",\"c\"", ",", 2, new[] { "a", "\"b\",\"c\"" })]
    [InlineData("a\"b,c", ",", 4, new[] { "a\"b", "c" })]
    public void Split_QuotedFields_AreTheTextBetweenTheirQuotes(string line, string delimiter, int slots, string[] expected)
    {
        Span<Range> ranges = stackalloc Range[slots];

        int n = FieldSplitter.Split(line, ranges, delimiter);

        Assert.Equal(expected, ranges[..n].ToArray().Select(r => line[r]));
    }
}
