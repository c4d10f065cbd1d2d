using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>
/// The quoted offending text of a data error: control and invisible characters of binary garbage are escaped, never
/// written to a terminal as they are, and long text is cut as before.
/// </summary>
public sealed class DataFormatExceptionTests
{
    [Fact]
    public void Message_QuotesControlBytesAsEscapes()
    {
        var e = new DataFormatException("garbage.csv", 2, "rating", "not a number", "\u0001\u001b[31mred\u0007\u007f\u0085");

        Assert.Equal("garbage.csv:2: field 'rating': not a number: \"\\x01\\x1B[31mred\\x07\\x7F\\x85\"", e.Message);
    }

    [Fact]
    public void Message_QuotesTabsAndLineBreaksAsBackslashLetters_SoTheMessageIsOneLine()
    {
        var e = new DataFormatException("u.data", 3, "columns", "expected 4 columns", "1\t2\r\n3");

        Assert.Equal("u.data:3: field 'columns': expected 4 columns: \"1\\t2\\r\\n3\"", e.Message);
    }

    [Fact]
    public void Message_EscapesInvisibleFormatCharactersAndLoneSurrogates_KeepsPrintableUnicode()
    {
        // U+202E (right-to-left override) reorders what follows on a terminal; U+2028 is a line break; U+D800 alone is no character.
        var e = new DataFormatException("f.csv", 1, "item", "unknown item", "ab\u202Ecd\u2028\uD800é😀\uFFFD");

        Assert.Equal("f.csv:1: field 'item': unknown item: \"ab\\u202Ecd\\u2028\\uD800é😀\uFFFD\"", e.Message);
    }

    [Fact]
    public void Message_LongPlainText_IsCutAt117CharactersAsBefore()
    {
        var text = new string('a', 200);
        Assert.EndsWith($": \"{new string('a', 117)}...\"", new DataFormatException("f", 0, "x", "bad", text).Message);
        Assert.EndsWith($": \"{new string('b', 120)}\"", new DataFormatException("f", 0, "x", "bad", new string('b', 120)).Message);
    }

    [Fact]
    public void Message_LongBinaryText_IsCutBetweenEscapes()
    {
        // 40 control bytes are 160 characters escaped: 29 whole escapes (116 characters) fit before the "...".
        var e = new DataFormatException("f", 0, "x", "bad", new string('\u0002', 40));

        Assert.EndsWith($": \"{string.Concat(Enumerable.Repeat("\\x02", 29))}...\"", e.Message);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }

    [Fact]
    public void Read_BinaryGarbageInARatingsFile_NamesTheLineWithoutControlCharacters()
    {
        using var folder = new TempFolder();
        var path = folder.Write("garbage.csv", "userId,movieId,rating,timestamp\n1,2,\u0001\u001b[2J\u0007,5\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLensCsv).Read(path));

        Assert.StartsWith($"{path}:2: field 'rating'", e.Message);
        Assert.EndsWith("\"\\x01\\x1B[2J\\x07\"", e.Message);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }
}
