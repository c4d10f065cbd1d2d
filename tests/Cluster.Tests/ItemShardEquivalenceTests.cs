using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// Item-sharded training on the three-silo cluster (item-shard grains spread over the silos, the job running the middle
/// layers) against the single-process trainer of the whole, unsharded network: the same model after 24 steps at
/// 20,000 items, the same losses, validation and test NDCG@100.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ItemShardEquivalenceTests(ThreeSiloCluster fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-item-shards-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const int Items = 20_000;

    private static readonly Lazy<Model.Data.DataSplit> Split = new(() => PlantedSplit.Create(1200, 100, Items, 8, seed: 9));

    // cosineDecaySteps > 0: the item shards and the middle must take the same decayed step size as the whole network.
    private static TrainerOptions Options(string? checkpoint, long cosineDecaySteps) => new()
    {
        Epochs = 2, BatchSize = 100, Seed = 13, CheckpointPath = checkpoint, EvaluationBatchSize = 64,
        Beta = new BetaScheduleOptions { TotalAnnealSteps = 30 }, Adam = new AdamOptions { CosineDecaySteps = cosineDecaySteps },
    };

    [Theory(Timeout = 300_000)]
    [InlineData(1, ModelKind.Vae, 0, CodeActivation.Tanh)]
    [InlineData(2, ModelKind.Vae, 0, CodeActivation.Tanh)]
    [InlineData(4, ModelKind.Vae, 0, CodeActivation.Tanh)]
    [InlineData(3, ModelKind.Dae, 20, CodeActivation.Tanh)]
    [InlineData(2, ModelKind.Dae, 0, CodeActivation.Linear)]
    public async Task Train_ItemShardsOverSilos_GiveTheSingleProcessUnshardedModel(int itemShards, ModelKind kind, long cosineDecaySteps, CodeActivation code)
    {
        var config = new AutoencoderConfig
        {
            Kind = kind, ItemCount = Items, HiddenDims = [48], LatentDim = 12, WeightDecay = kind == ModelKind.Dae ? 0.01 : 0, CodeActivation = code,
        };
        var split = Split.Value;
        string singleCheckpoint = Path.Combine(_folder, "single.vaecf"), shardedCheckpoint = Path.Combine(_folder, "sharded.vaecf");
        // One LibTorch thread, as on the silos: some kernels sum in an order that depends on the thread count.
        var single = new Trainer(Options(singleCheckpoint, cosineDecaySteps) with { Threads = 1 }).Train(split, config);
        new Trainer(Options(shardedCheckpoint, cosineDecaySteps) with { Threads = 1, ItemShards = itemShards }).Train(split, config);

        string job = $"item-shards-{itemShards}-{kind.ToString().ToLowerInvariant()}-{code.ToString().ToLowerInvariant()}";
        var status = await ClusterJobs.TrainAsync(fixture.Grains, job, split, config, Options(null, cosineDecaySteps),
            new ClusterSettings { ItemShards = itemShards, MaxChunkBytes = 1 << 20 });

        Assert.Equal(itemShards, status.ItemShards);
        Assert.Equal(itemShards, status.ShardSilos.Count);
        Assert.Equal(Math.Min(itemShards, 3), status.ShardSilos.Distinct().Count());
        var (_, unsharded) = TensorFile.Read(singleCheckpoint);
        var (_, sharded) = TensorFile.Read(shardedCheckpoint);
        // The job's checkpoint holds the middle; each shard wrote its own part of the item layers beside it.
        var (actual, shardsInCheckpoint, partEpoch, bestEpoch) = ShardedCheckpointReader.Read(Path.Combine(ClusterJobs.Folder(job), "checkpoint.vaecf"), config);
        Assert.Equal((itemShards, single.History.Count, single.BestEpoch), (shardsInCheckpoint, partEpoch, bestEpoch));
        Assert.Equal(unsharded.Keys.Order(), actual.Keys.Order());
        // Only the current epoch's and the best epoch's parts are kept.
        var kept = new[] { partEpoch, bestEpoch }.Distinct().SelectMany(e => Enumerable.Range(0, itemShards).Select(s => $"itemshard-e{e}-{s}of{itemShards}.vaecf"));
        Assert.Equal(kept.Order(), Directory.GetFiles(ClusterJobs.Folder(job), "itemshard-*").Select(Path.GetFileName).Order());
        foreach (var (name, tensor) in unsharded)
        {
            var expected = tensor.data<float>().ToArray();
            foreach (var (reference, values) in new[] { ("unsharded", expected), ("in-process item-sharded", sharded[name].data<float>().ToArray()) })
            {
                var got = actual[name].data<float>().ToArray();
                double worst = values.Zip(got, (x, y) => Math.Abs((double)x - y)).Max();
                if (name.StartsWith("adam.", StringComparison.Ordinal))
                {
                    // Moments: float rounding of the gradients only (a swapped or lost moment would be off by its scale).
                    double scale = values.Max(v => Math.Abs((double)v));
                    Assert.True(worst <= 1e-3 * scale + 1e-9, $"{itemShards} shards, {name} against {reference}: largest difference {worst:E2}, scale {scale:E2}");
                    continue;
                }
                // Parameters agree to 1e-5 but where Adam amplifies a near-zero gradient's rounding by lr/ε (as in one
                // process: ItemShardedModelTests): a few elements in a million, never by a third of one Adam step.
                int over = values.Zip(got, (x, y) => Math.Abs((double)x - y) > 1e-5 ? 1 : 0).Sum();
                Assert.True(over <= Math.Max(1, values.Length / 20_000), $"{itemShards} shards, {name} against {reference}: {over} of {values.Length} elements differ by more than 1e-5");
                Assert.True(worst <= 1e-3 / 3, $"{itemShards} shards, {name} against {reference}: largest difference {worst:E2}");
            }
        }
        Assert.Equal(single.History.Count, status.History.Count);
        for (int e = 0; e < single.History.Count; e++)
        {
            Assert.Equal(single.History[e].Step, status.History[e].Step);
            Assert.Equal(single.History[e].Loss, status.History[e].Loss, 1e-3);
            Assert.Equal(single.History[e].ValidationNdcg100, status.History[e].ValidationNdcg100, 1e-4);
        }
        double singleTest = single.Test[Model.Evaluation.RankingMetric.Ndcg(100)].Mean;
        double clusterTest = status.Test.Single(t => t.Name == "NDCG@100").Mean;
        Assert.Equal(Math.Round(singleTest, 4), Math.Round(clusterTest, 4));
        // Per step only [B, H]-sized tensors and per-user scalars cross, so bytes do not grow with the 20,000 items.
        long perStep = status.History[0].BytesSent / (status.Batches == 0 ? 1 : status.Batches);
        Assert.InRange(perStep, 1, (long)itemShards * 100 * (4 * 48 + 3 + 1) * sizeof(float) + 4096);
    }
}
