using System.Security.Cryptography;
using System.Text;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of model files (<see cref="ModelFile.Load"/>), training checkpoints
/// (<see cref="TrainingCheckpoint.Restore"/>), item-sharded checkpoints (<see cref="ItemShardedCheckpoint.Restore"/>) and
/// item shards' checkpoint parts (<see cref="ItemShardPart.Load"/>) of a tiny [6-4-2-4-6] Mult-VAE, three ways each: raw bytes (the checksum
/// must refuse), any bytes with the checksum repaired, and the JSON header mutated and framed again with its length
/// and checksum, which reaches the header's settings, shapes and item index. Every input loads or is refused with a
/// <see cref="CheckpointFormatException"/> naming the file; a shape or width read from the file never allocates more
/// than a small multiple of the file.
/// </summary>
public sealed class CheckpointFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int HashLength = 32;
    private static readonly string[] ItemIds = ["a", "b", "c", "d", "e", "f"];
    private readonly FuzzFolder _folder = new();

    public static TheoryData<string, string> Cases => new()
    {
        { "model", "raw" }, { "model", "checksum repaired" }, { "model", "header" },
        { "checkpoint", "raw" }, { "checkpoint", "checksum repaired" }, { "checkpoint", "header" },
        { "item-sharded checkpoint", "raw" }, { "item-sharded checkpoint", "checksum repaired" }, { "item-sharded checkpoint", "header" },
        { "item shard part", "raw" }, { "item shard part", "checksum repaired" }, { "item shard part", "header" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void File_Mutated_LoadsOrIsRefusedWithCheckpointFormatException(string kind, string mutation)
    {
        using var network = new AutoencoderNetwork(Config, seed: 1);
        using var optimizer = new AdamOptimizer(network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToList(), new AdamOptions());
        var best = network.OrderedParameters.Select(p => p.Tensor.detach().clone()).ToList();
        var options = new TrainerOptions();
        var path = _folder.File($"{kind.Replace(' ', '-')}.vaecf");
        using var middle = ItemShardedMiddle.CopyOf(network, new AdamOptions());
        var bestMiddle = middle.Parameters.Select(p => p.detach().clone()).ToList();
        using var shard = ItemShard.Zeros(new ItemRange(0, 3), Config, new AdamOptions(), MatmulPrecision.Fp32, CPU);
        var state = new TrainingState { CompletedEpochs = 1, Step = 4, BestEpoch = 1 };
        switch (kind)
        {
            case "model": ModelFile.Save(path, network, ItemIds, new ModelSummary(3, 2, 0.25, 0.2, 1, DateTimeOffset.UnixEpoch)); break;
            case "checkpoint": TrainingCheckpoint.Save(path, network, optimizer, options, ItemIds, state, best); break;
            case "item-sharded checkpoint": ItemShardedCheckpoint.Save(path, Config, middle, bestMiddle, options, ItemIds, state, null, 2, 1); break;
            default: ItemShardPart.Save(path, shard, 2, 1); break;
        }
        var seed = File.ReadAllBytes(path);
        var (header, tensors) = Split(seed);

        Action<byte[]> read = kind switch
        {
            "model" => _ => ModelFile.Load(path).Network.Dispose(),
            "checkpoint" => _ => TrainingCheckpoint.Restore(path, network, optimizer, options, ItemIds, best),
            "item-sharded checkpoint" => _ => ItemShardedCheckpoint.Restore(path, Config, middle, bestMiddle, options, ItemIds, null),
            _ => _ => ItemShardPart.Load(path, shard, 2, 1, withMoments: true),
        };
        Action<byte[]> load = bytes => { File.WriteAllBytes(path, bytes); read(bytes); };
        FuzzHarness.Run(new FuzzTarget
        {
            Format = $"{kind} file ({mutation})",
            Next = mutation == "header" ? random => Mutator.Mutate(random, header) : random => Mutator.Mutate(random, seed, binary: true),
            Parse = mutation switch
            {
                "raw" => load,
                "checksum repaired" => bytes => load(RepairChecksum(bytes)),
                _ => json => load(Frame(json, tensors)),
            },
            IsClearRefusal = e => e is CheckpointFormatException c && c.FilePath == path
                                  && c.Message.StartsWith(path, StringComparison.Ordinal) && !c.Message.Contains('\n'),
            AllocationBudget = 1 << 20,
        }, output.WriteLine);
        foreach (var t in best.Concat(bestMiddle)) t.Dispose();
    }

    internal static AutoencoderConfig Config => new() { ItemCount = ItemIds.Length, HiddenDims = [4], LatentDim = 2 };

    /// <summary>The header JSON and the tensor bytes of a file.</summary>
    internal static (byte[] Header, byte[] Tensors) Split(byte[] file)
    {
        int length = BitConverter.ToInt32(file, 8);
        return (file[12..(12 + length)], file[(12 + length)..^HashLength]);
    }

    /// <summary>A file around <paramref name="header"/>: magic, its length, it, the tensors, the checksum.</summary>
    internal static byte[] Frame(byte[] header, byte[] tensors)
    {
        byte[] body = [.. "VAECFTF1"u8, .. BitConverter.GetBytes(header.Length), .. header, .. tensors];
        return [.. body, .. SHA256.HashData(body)];
    }

    internal static byte[] RepairChecksum(byte[] bytes)
    {
        if (bytes.Length < HashLength) return bytes;
        var copy = (byte[])bytes.Clone();
        SHA256.HashData(copy.AsSpan(0, copy.Length - HashLength)).CopyTo(copy.AsSpan(copy.Length - HashLength));
        return copy;
    }

    internal static string Text(byte[] header) => Encoding.UTF8.GetString(header);

    public void Dispose() => _folder.Dispose();
}
