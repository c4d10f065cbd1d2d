using System.Globalization;
using System.Text;
using VaeCfCluster.Model.Data;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of every rating file reader (<see cref="DataCatalog"/>'s formats plus a CSV with its header
/// and delimiter options changed): each mutated file parses into a table without non-finite values or empty ids, or
/// is refused with a <see cref="DataFormatException"/> that names the file and a line inside it.
/// </summary>
public sealed class RatingReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly FuzzFolder _folder = new();

    public static TheoryData<string> Formats => new(DataCatalog.FormatNames.Append("csv;noheader").ToArray());

    [Theory]
    [MemberData(nameof(Formats))]
    public void Reader_MutatedFiles_ParseOrRefuseWithDataFormatException(string format)
    {
        var (reader, seed) = ReaderAndSeed(format, new Random(FuzzSettings.Seed));
        var path = _folder.File(format.Replace(';', '-') + ".txt");
        FuzzHarness.Run(new FuzzTarget
        {
            Format = format,
            Next = random => Mutator.Mutate(random, seed),
            Parse = bytes => ReadAndCheck(reader, path, bytes),
            IsClearRefusal = e => IsClearRefusal(e, path),
        }, output.WriteLine);
    }

    [Fact]
    public void Harness_ParserWithAHiddenCrash_IsCaught()
    {
        // The oracle is real: a parser that indexes past a field on some inputs makes the run fail.
        var seed = "1\t2\t3\t4\n"u8.ToArray();
        var error = Assert.ThrowsAny<Exception>(() => FuzzHarness.Run(new FuzzTarget
        {
            Format = "self-check",
            Next = random => Mutator.Mutate(random, seed),
            Parse = bytes =>
            {
                var fields = Encoding.UTF8.GetString(bytes).Split('\t');
                if (fields.Length < 4) throw new FormatException("short");
                _ = fields[3][0];
            },
            IsClearRefusal = e => e is FormatException,
        }));
        Assert.Contains("IndexOutOfRangeException", error.Message);
        Assert.Contains("minimized input", error.Message);
    }

    internal static void ReadAndCheck(IRatingReader reader, string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        var table = reader.Read(path);
        if (table.Count == 0) throw new FuzzOracleException("a table without rows");
        foreach (float value in table.Values)
            if (!float.IsFinite(value)) throw new FuzzOracleException($"a non-finite value {value}");
        foreach (var id in table.UserIds.Concat(table.ItemIds))
            if (id.Length == 0 || id.Trim().Length != id.Length) throw new FuzzOracleException($"an empty or untrimmed id '{id}'");
    }

    /// <summary>A <see cref="DataFormatException"/> naming this file and a line of it, in one line of text.</summary>
    internal static bool IsClearRefusal(Exception e, string path) =>
        e is DataFormatException d && d.FilePath == path && d.Message.StartsWith(path, StringComparison.Ordinal)
        && !d.Message.Contains('\n') && d.LineNumber >= 0 && d.LineNumber <= LineCount(path);

    private static long LineCount(string path) => File.ReadAllBytes(path).Count(b => b == '\n') + 1;

    internal static (IRatingReader Reader, byte[] Seed) ReaderAndSeed(string format, Random random)
    {
        var text = new StringBuilder();
        string Id() => random.Next(1, 40).ToString(CultureInfo.InvariantCulture);
        string Rating() => random.Next(1, 6).ToString(CultureInfo.InvariantCulture);
        string Stamp() => random.Next(874_000_000, 893_000_000).ToString(CultureInfo.InvariantCulture);
        const int Rows = 24;
        switch (format)
        {
            case "ml-100k":
                for (int k = 0; k < Rows; k++) text.Append($"{Id()}\t{Id()}\t{Rating()}\t{Stamp()}\n");
                return (new DelimitedRatingReader(DelimitedFormat.MovieLens100K), Bytes(text));
            case "ml-1m":
                for (int k = 0; k < Rows; k++) text.Append(k % 3 == 0 ? $"{Id()}::{Id()}::{Rating()}\n" : $"{Id()}::{Id()}::{Rating()}::{Stamp()}\n");
                return (new DelimitedRatingReader(DelimitedFormat.MovieLensDat), Bytes(text));
            case "ml-20m":
                text.Append("userId,movieId,rating,timestamp\r\n");
                for (int k = 0; k < Rows; k++) text.Append($"{Id()},{Id()},{Rating()}.5,{Stamp()}\r\n");
                return (new DelimitedRatingReader(DelimitedFormat.MovieLensCsv), Bytes(text));
            case "netflix":
                for (int movie = 1; movie <= 4; movie++)
                {
                    text.Append($"{movie}:\n");
                    for (int k = 0; k < Rows / 4; k++) text.Append($"{random.Next(1, 3000)},{Rating()},2005-09-{random.Next(10, 29)}\n");
                }
                return (new NetflixPrizeReader(), Bytes(text));
            case "msd":
                for (int k = 0; k < Rows; k++)
                    text.Append($"{random.Next(0x1000, 0xFFFF):x4}b80344d063b5ccb3212f76538f3d9e43d87dca9e\tSO{random.Next(100, 999)}AAQ12A6D4F81ECE\t{random.Next(1, 20)}\n");
                return (new DelimitedRatingReader(DelimitedFormat.TasteProfile), Bytes(text));
            case "citeulike":
                for (int k = 0; k < 8; k++)
                {
                    var items = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(0, 60)).Distinct().ToArray();
                    text.Append($"{items.Length} {string.Join(' ', items)}\n");
                }
                return (new CiteULikeReader(), Bytes(text));
            case "csv":
                text.Append("user,item,extra\n");
                for (int k = 0; k < Rows; k++) text.Append($"u{Id()},i{Id()},x\n");
                return (new DelimitedRatingReader(DelimitedFormat.Csv), Bytes(text));
            case "csv;noheader":
                for (int k = 0; k < Rows; k++) text.Append($"{Id()};{Id()};{Rating()}.25\n");
                var layout = new DelimitedFormat { Delimiter = ";", ItemColumn = 0, UserColumn = 1, RatingColumn = 2, MaxColumnCount = 3 };
                return (new DelimitedRatingReader(layout), Bytes(text));
            default:
                throw new ArgumentException($"No fuzz seed for format '{format}'.", nameof(format));
        }
    }

    private static byte[] Bytes(StringBuilder text) => Encoding.UTF8.GetBytes(text.ToString());

    public void Dispose() => _folder.Dispose();
}
