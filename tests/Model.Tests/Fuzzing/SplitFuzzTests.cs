using System.Security.Cryptography;
using VaeCfCluster.Model.Data;
using Xunit.Abstractions;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of a split folder's text files (<c>train.csv</c> ... <c>unique_uid.txt</c>, loaded without
/// the cache) and of the binary split (<c>split.bin</c>, <see cref="SplitSerializer"/>): raw, where the checksum must
/// refuse, and with the checksum repaired after mutating, so that the structure checks behind it are reached too.
/// </summary>
public sealed class SplitFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int HeaderLength = 8 + 4 + 32;
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void SplitFolder_MutatedFiles_LoadOrRefuseWithDataFormatException()
    {
        var folder = Path.Combine(_folder.Path, "split");
        SplitStore.Save(SmallSplit(), folder);
        File.Delete(Path.Combine(folder, SplitStore.CacheFileName));
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var seeds = files.Select(name => File.ReadAllBytes(Path.Combine(folder, name!))).ToArray();
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "split csv",
            // First byte: which file of the folder the rest replaces.
            Next = random =>
            {
                int file = random.Next(files.Length);
                return [(byte)file, .. Mutator.Mutate(random, seeds[file])];
            },
            Parse = bytes =>
            {
                for (int k = 0; k < files.Length; k++) File.WriteAllBytes(Path.Combine(folder, files[k]!), seeds[k]);
                if (bytes.Length > 0) File.WriteAllBytes(Path.Combine(folder, files[bytes[0] % files.Length]!), bytes[1..]);
                SplitStore.Load(folder, useCache: false);
            },
            IsClearRefusal = e => e is DataFormatException d && d.FilePath.StartsWith(folder, StringComparison.Ordinal)
                                  && d.Message.StartsWith(d.FilePath, StringComparison.Ordinal) && !d.Message.Contains('\n'),
        }, output.WriteLine);
    }

    [Fact]
    public void SplitCache_MutatedBytes_AreRefusedByTheChecksum()
    {
        var seed = SplitSerializer.Serialize(SmallSplit());
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "split.bin",
            Next = random => Mutator.Mutate(random, seed, binary: true),
            Parse = bytes => SplitSerializer.Deserialize(bytes),
            IsClearRefusal = e => e is InvalidDataException,
            AllocationBudget = 1 << 20,
        }, output.WriteLine);
    }

    [Fact]
    public void SplitCache_MutatedBodyWithRepairedChecksum_DecodesOrIsRefusedBeforeAllocating()
    {
        var seed = SplitSerializer.Serialize(SmallSplit());
        FuzzHarness.Run(new FuzzTarget
        {
            Format = "split.bin (checksum repaired)",
            Next = random => Mutator.Mutate(random, seed, binary: true),
            Parse = bytes => SplitSerializer.Deserialize(RepairChecksum(bytes)),
            IsClearRefusal = e => e is InvalidDataException,
            // A corrupted count or length must be refused before it allocates: a few times the input at most.
            AllocationBudget = 1 << 20,
        }, output.WriteLine);
    }

    /// <summary>The SHA-256 of the body written where the cache keeps it, so the mutated structure is parsed.</summary>
    internal static byte[] RepairChecksum(byte[] bytes)
    {
        if (bytes.Length < HeaderLength) return bytes;
        var copy = (byte[])bytes.Clone();
        SHA256.HashData(copy.AsSpan(HeaderLength)).CopyTo(copy.AsSpan(12));
        return copy;
    }

    /// <summary>8 training, 3 validation and 3 test users over 10 items, every user with clicks (the CSV layout needs that).</summary>
    internal static DataSplit SmallSplit()
    {
        var random = new Random(7);
        var items = Enumerable.Range(0, 10).Select(i => $"item{i}").ToList();
        ClickMatrix Clicks(int users)
        {
            var rows = new List<int>();
            var columns = new List<int>();
            for (int u = 0; u < users; u++)
                for (int k = 0; k < 2 + random.Next(3); k++) { rows.Add(u); columns.Add(random.Next(items.Count)); }
            return ClickMatrix.FromPairs(users, items.Count, rows.ToArray(), columns.ToArray());
        }
        List<string> Users(string prefix, int count) => Enumerable.Range(0, count).Select(u => $"{prefix}{u}").ToList();
        return new DataSplit(items, Clicks(8), Users("t", 8),
            new HeldOutUsers(Clicks(3), Clicks(3), Users("v", 3)), new HeldOutUsers(Clicks(3), Clicks(3), Users("s", 3)));
    }

    public void Dispose() => _folder.Dispose();
}
