using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing with FsCheck: generated inputs instead of mutated seeds, with FsCheck's shrinking to the
/// smallest failing case. The environment-scaled properties run <see cref="FuzzSettings.Inputs"/> cases. Each run's
/// seed is random unless <c>VAECF_FUZZ_SEED</c> sets it; a failure names it for replay (<see cref="PropertyRuns"/>).
/// </summary>
public sealed class ReaderProperties : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void ClickMatrix_AnyOffsetsAndColumns_ConstructOrThrowArgumentException()
    {
        // Offsets shaped like a stored matrix's (0 first, the column count last), the middle ones arbitrary, as a
        // corrupted split.bin with a repaired checksum gives them to the constructor.
        PropertyRuns.Check(ArbMap.Default.ArbFor<(int[] Middle, int[] Columns, PositiveInt ColumnCount)>(), FuzzSettings.Inputs, input =>
        {
            var columns = input.Columns ?? [];
            int[] offsets = [0, .. input.Middle ?? [], columns.Length];
            try
            {
                var matrix = new ClickMatrix(offsets.Length - 1, input.ColumnCount.Get, offsets, columns);
                for (int r = 0; r < matrix.RowCount; r++) _ = matrix.Row(r).Length;
            }
            catch (ArgumentException)
            {
            }
        });
    }

    [Fact]
    public void DelimitedReader_AnyText_ParsesOrRefusesWithDataFormatException()
    {
        var reader = new DelimitedRatingReader(DelimitedFormat.MovieLens100K);
        var path = _folder.File("u.data");
        var lines = Gen.Elements("1", "22", "-3", "4.5", "1e39", "NaN", "", " ", "\t", "x", "2147483648")
            .ArrayOf().Select(fields => string.Join('\t', fields)).ArrayOf().Select(rows => string.Join('\n', rows));
        PropertyRuns.Check(Arb.From(lines), FuzzSettings.Inputs, text =>
        {
            try
            {
                RatingReaderFuzzTests.ReadAndCheck(reader, path, Encoding.UTF8.GetBytes(text));
            }
            catch (DataFormatException e) when (RatingReaderFuzzTests.IsClearRefusal(e, path))
            {
            }
        });
    }

    [Fact]
    public void UData_GeneratedRows_ReadBackExactly() =>
        PropertyRuns.Check(ArbMap.Default.ArbFor<(NonNegativeInt[] Users, NonNegativeInt[] Items, byte[] Ratings)>(), 300,
            input => UDataReadsBack(input.Users ?? [], input.Items ?? [], input.Ratings ?? []));

    private void UDataReadsBack(NonNegativeInt[] users, NonNegativeInt[] items, byte[] ratings)
    {
        int count = Math.Min(users.Length, Math.Min(items.Length, ratings.Length));
        if (count == 0) return;
        var text = new StringBuilder();
        for (int k = 0; k < count; k++)
            text.Append(CultureInfo.InvariantCulture, $"{users[k].Get}\t{items[k].Get}\t{ratings[k] / 2.0}\t0\n");
        var path = _folder.File("roundtrip.data");
        File.WriteAllText(path, text.ToString());
        var table = new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path);
        Assert.Equal(count, table.Count);
        for (int k = 0; k < count; k++)
        {
            Assert.Equal(users[k].Get.ToString(CultureInfo.InvariantCulture), table.UserIds[table.Users[k]]);
            Assert.Equal(items[k].Get.ToString(CultureInfo.InvariantCulture), table.ItemIds[table.Items[k]]);
            Assert.Equal(ratings[k] / 2f, table.Values[k]);
        }
    }

    public void Dispose() => _folder.Dispose();
}
