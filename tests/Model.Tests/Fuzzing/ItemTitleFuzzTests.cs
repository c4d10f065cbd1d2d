using System.Text;
using VaeCfCluster.Model.Data;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of the item title files <see cref="ItemTitleReader"/> reads beside the ratings
/// (<c>u.item</c>, <c>movies.dat</c>, <c>movies.csv</c>): titles or a <see cref="DataFormatException"/> naming the file
/// and a line of it.
/// </summary>
public sealed class ItemTitleFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Theory]
    [InlineData("u.item")]
    [InlineData("movies.dat")]
    [InlineData("movies.csv")]
    public void TitleFile_Mutated_ReadsOrRefusesWithDataFormatException(string name)
    {
        var random = new Random(FuzzSettings.Seed);
        var text = new StringBuilder(name == "movies.csv" ? "movieId,title,genres\n" : "");
        for (int k = 1; k <= 20; k++)
        {
            string title = $"Movie {random.Next(1000)} ({random.Next(1930, 2000)})";
            text.Append(name switch
            {
                "u.item" => $"{k}|{title}|01-Jan-1995||http://example.org|0|1|0\n",
                "movies.dat" => $"{k}::{title}::Comedy|Drama\n",
                _ => k % 3 == 0 ? $"{k},\"{title}, The \"\"quoted\"\"\",Drama\n" : $"{k},{title},Comedy\n",
            });
        }
        var seed = Encoding.Latin1.GetBytes(text.ToString());
        // A folder of its own: the reader picks the first of u.item, movies.dat, movies.csv it finds beside the data.
        var path = Path.Combine(Directory.CreateDirectory(_folder.File(name + ".d")).FullName, name);
        FuzzHarness.Run(new FuzzTarget
        {
            Format = name,
            Next = r => Mutator.Mutate(r, seed),
            Parse = bytes =>
            {
                File.WriteAllBytes(path, bytes);
                if (ItemTitleReader.TryLoad(path) is null) throw new FuzzOracleException("the title file was not found");
            },
            IsClearRefusal = e => e is DataFormatException d && d.FilePath == path && !d.Message.Contains('\n')
                                  && d.LineNumber >= 1 && d.LineNumber <= File.ReadLines(path, Encoding.Latin1).Count(),
        }, output.WriteLine);
    }

    public void Dispose() => _folder.Dispose();
}
