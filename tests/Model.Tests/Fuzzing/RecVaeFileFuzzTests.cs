using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of RecVAE's files, <see cref="RecVaeModelFile"/> (model.recvae) and
/// <see cref="RecVaeCheckpoint"/> (checkpoint.recvae), the same three ways as <see cref="CheckpointFuzzTests"/>: raw bytes,
/// any bytes with the checksum repaired, and the JSON header mutated and framed again. Every input loads or is refused
/// with a <see cref="CheckpointFormatException"/> naming the file, and settings read from a header never allocate more
/// than a small multiple of the file.
/// </summary>
public sealed class RecVaeFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] ItemIds = ["a", "b", "c", "d", "e", "f"];
    private static readonly RecVaeOptions Tiny = new() { Hidden = 4, Latent = 2, EncoderLayers = 2, Seed = 3 };
    private readonly FuzzFolder _folder = new();

    public static TheoryData<string, string> Cases => new()
    {
        { "model", "raw" }, { "model", "checksum repaired" }, { "model", "header" },
        { "checkpoint", "raw" }, { "checkpoint", "checksum repaired" }, { "checkpoint", "header" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void File_Mutated_LoadsOrIsRefusedWithCheckpointFormatException(string kind, string mutation)
    {
        using var network = new RecVaeNetwork(ItemIds.Length, Tiny, Tiny.Seed);
        using var encoderAdam = new AdamOptimizer(network.Encoder.Parameters.ToArray<Tensor>(), new AdamOptions());
        using var decoderAdam = new AdamOptimizer(network.DecoderParameters.ToArray<Tensor>(), new AdamOptions());
        var best = network.Snapshot();
        var path = _folder.File($"{kind}.recvae");
        if (kind == "model") RecVaeModelFile.Save(path, network, ItemIds, 2, 0.3);
        else RecVaeCheckpoint.Save(path, new RecVaeCheckpoint.Header("", RecVaeCheckpoint.Settings(Tiny), ItemIds.Length, "data", 1, 4, 1, 0.3,
            [new RecVaeEpoch(1, 2.5, 0.3, 0.1)], 3, 1), network, encoderAdam, decoderAdam, best);
        var seed = File.ReadAllBytes(path);
        var (header, tensors) = CheckpointFuzzTests.Split(seed);

        Action<byte[]> load = kind == "model"
            ? bytes => { File.WriteAllBytes(path, bytes); RecVaeModelFile.Load(path).Network.Dispose(); }
            : bytes =>
            {
                File.WriteAllBytes(path, bytes);
                foreach (var t in RecVaeCheckpoint.Restore(path, Tiny, ItemIds.Length, "data", network, encoderAdam, decoderAdam).Best) t.Dispose();
            };
        FuzzHarness.Run(new FuzzTarget
        {
            Format = $"RecVAE {kind} file ({mutation})",
            Next = mutation == "header" ? random => Mutator.Mutate(random, header) : random => Mutator.Mutate(random, seed, binary: true),
            Parse = mutation switch
            {
                "raw" => load,
                "checksum repaired" => bytes => load(CheckpointFuzzTests.RepairChecksum(bytes)),
                _ => json => load(CheckpointFuzzTests.Frame(json, tensors)),
            },
            IsClearRefusal = e => e is CheckpointFormatException c && c.FilePath == path
                                  && c.Message.StartsWith(path, StringComparison.Ordinal) && !c.Message.Contains('\n'),
            AllocationBudget = 1 << 20,
        }, output.WriteLine);
        foreach (var t in best) t.Dispose();
    }

    public void Dispose() => _folder.Dispose();
}
