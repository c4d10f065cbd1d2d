using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// Synchronous data-parallel training on the three-silo cluster against the single-process trainer: same seed and
/// global batch, W workers. Both write a checkpoint in the same format after every epoch; the parameters and Adam
/// moments in them must agree.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DataParallelEquivalenceTests(ThreeSiloCluster fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-equivalence-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly AutoencoderConfig Vae = new() { ItemCount = 90, HiddenDims = [32], LatentDim = 8 };

    // Mult-DAE with weight decay: with many shards and small batches some shards get no gradient part from any
    // silo in a step, and their weights must still decay exactly as in one process.
    private static readonly AutoencoderConfig DaeWithDecay = new() { Kind = ModelKind.Dae, ItemCount = 90, HiddenDims = [32], LatentDim = 8, WeightDecay = 0.02 };

    // cosineDecaySteps > 0: every parameter shard must take the same decayed step size as the single process.
    private static TrainerOptions Options(string? checkpoint, int batchSize = 50, long cosineDecaySteps = 0) => new()
    {
        Epochs = 3, BatchSize = batchSize, Seed = 11, CheckpointPath = checkpoint, EvaluationBatchSize = 17,
        Beta = new BetaScheduleOptions { TotalAnnealSteps = 10 }, Adam = new AdamOptions { CosineDecaySteps = cosineDecaySteps },
    };

    [Theory(Timeout = 180_000)]
    [InlineData(1, 2, false, 0)]
    [InlineData(2, 3, false, 0)]
    [InlineData(4, 2, false, 0)]
    [InlineData(2, 3, false, 10)]
    [InlineData(1, 12, true, 0)]
    [InlineData(3, 7, true, 15)]
    public async Task Train_WorkersAndShards_GiveTheSingleProcessModel(int workers, int shards, bool dae, long cosineDecaySteps)
    {
        var config = dae ? DaeWithDecay : Vae;
        int batchSize = dae ? 10 : 50;
        var split = PlantedSplit.Create(dae ? 60 : 230, 30, config.ItemCount, 4, seed: 5);
        string singleCheckpoint = Path.Combine(_folder, "single.vaecf");
        // One LibTorch thread, as on the silos: some LibTorch kernels sum in an order that depends on the thread count.
        var single = new Trainer(Options(singleCheckpoint, batchSize, cosineDecaySteps) with { Threads = 1 }).Train(split, config);

        string job = $"equivalence-w{workers}-s{shards}-{(dae ? "dae" : "vae")}-c{cosineDecaySteps}";
        var status = await ClusterJobs.TrainAsync(fixture.Grains, job, split, config, Options(null, batchSize, cosineDecaySteps),
            new ClusterSettings { Workers = workers, ParameterShards = shards, Evaluators = 3, MaxChunkBytes = 4096 });

        Assert.Equal(workers, status.Workers);
        Assert.Equal(shards, status.ParameterShards);
        Assert.Equal(3, status.Silos);
        Assert.Equal(shards, status.ShardSilos.Count);
        Assert.Equal(Math.Min(shards, 3), status.ShardSilos.Distinct().Count());
        var (_, expected) = TensorFile.Read(singleCheckpoint);
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(job), "checkpoint.vaecf"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        // One worker computes exactly the single process's gradient, so every value matches bit for bit; with more
        // workers only the order of the gradient sum differs (float rounding).
        double tolerance = workers == 1 ? 0 : 1e-5;
        foreach (var (name, tensor) in expected)
        {
            var a = tensor.data<float>().ToArray();
            var b = actual[name].data<float>().ToArray();
            double worst = a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
            Assert.True(worst <= tolerance, $"{name}: largest difference {worst:E2} exceeds {tolerance:E0} with {workers} workers");
        }
        Assert.Equal(single.History.Count, status.History.Count);
        for (int e = 0; e < single.History.Count; e++)
        {
            Assert.Equal(single.History[e].Step, status.History[e].Step);
            Assert.Equal(single.History[e].Loss, status.History[e].Loss, workers == 1 ? 1e-12 : 1e-5);
            Assert.Equal(single.History[e].ValidationNdcg100, status.History[e].ValidationNdcg100, workers == 1 ? 1e-12 : 1e-3);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_Patience_TheJobStopsAtTheSingleProcessEpochWithItsModel()
    {
        var split = PlantedSplit.Create(230, 30, Vae.ItemCount, 4, seed: 5);
        var options = Options(null) with { Epochs = 12, Patience = 1 };
        string singleCheckpoint = Path.Combine(_folder, "single-patience.vaecf");
        var single = new Trainer(options with { Threads = 1, CheckpointPath = singleCheckpoint }).Train(split, Vae);
        Assert.True(single.StoppedEarly, $"the single process ran all {single.History.Count} epochs");

        var status = await ClusterJobs.TrainAsync(fixture.Grains, "equivalence-patience", split, Vae, options,
            new ClusterSettings { Workers = 1, ParameterShards = 2, Evaluators = 2 });

        Assert.Equal(single.History.Count, status.History.Count);
        Assert.Equal(single.History.Select(h => h.ValidationNdcg100), status.History.Select(h => h.ValidationNdcg100));
        Assert.Equal(single.BestEpoch, status.BestEpoch);
        Assert.Equal(single.Test[RankingMetric.Ndcg(100)].Mean, status.Test.Single(t => t.Name == "NDCG@100").Mean, 1e-12);
        var (_, expected) = TensorFile.Read(singleCheckpoint);
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("equivalence-patience"), "checkpoint.vaecf"));
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_KeptClickWeight_TwoWorkersGiveTheSingleProcessModel() =>
        // Emphasized denoising: each worker weighs the clicks its users' masks kept, and the sums still add up.
        await AssertTwoWorkersTrainTheSingleProcessModel("kept-weight", DaeWithDecay with { Likelihood = Likelihood.Multinomial, KeptClickWeight = 0.3 },
            splitSeed: 5);

    [Fact(Timeout = 180_000)]
    public async Task Train_LinearCode_TwoWorkersGiveTheSingleProcessModel() =>
        // The DAE's code activation crosses the grain boundary: a worker computing tanh would train another model.
        await AssertTwoWorkersTrainTheSingleProcessModel("linear-code", DaeWithDecay with { CodeActivation = CodeActivation.Linear }, splitSeed: 6);

    /// <summary>
    /// Trains <paramref name="config"/> (a variant of <see cref="DaeWithDecay"/>) on two workers and three parameter shards:
    /// every tensor of the job's checkpoint is within 1e-5 of the single-process run's, and some parameter is more than
    /// 1e-3 from the plain <see cref="DaeWithDecay"/>'s, so the variant's setting reached the workers.
    /// </summary>
    private async Task AssertTwoWorkersTrainTheSingleProcessModel(string name, AutoencoderConfig config, ulong splitSeed)
    {
        var split = PlantedSplit.Create(60, 30, config.ItemCount, 4, seed: splitSeed);
        string singleCheckpoint = Path.Combine(_folder, $"single-{name}.vaecf"), plainCheckpoint = Path.Combine(_folder, $"single-plain-{name}.vaecf");
        new Trainer(Options(singleCheckpoint, 10) with { Threads = 1 }).Train(split, config);
        new Trainer(Options(plainCheckpoint, 10) with { Threads = 1 }).Train(split, DaeWithDecay);

        string job = $"equivalence-{name}";
        await ClusterJobs.TrainAsync(fixture.Grains, job, split, config, Options(null, 10),
            new ClusterSettings { Workers = 2, ParameterShards = 3, Evaluators = 3, MaxChunkBytes = 4096 });

        var (_, expected) = TensorFile.Read(singleCheckpoint);
        var (_, plain) = TensorFile.Read(plainCheckpoint);
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(job), "checkpoint.vaecf"));
        foreach (var (tensorName, tensor) in expected)
        {
            double worst = tensor.data<float>().ToArray().Zip(actual[tensorName].data<float>().ToArray(), (x, y) => Math.Abs((double)x - y)).Max();
            Assert.True(worst <= 1e-5, $"{tensorName}: largest difference {worst:E2}");
        }
        Assert.Contains(plain, p => p.Key.StartsWith("param/", StringComparison.Ordinal) &&
            p.Value.data<float>().ToArray().Zip(actual[p.Key].data<float>().ToArray(), (x, y) => Math.Abs((double)x - y)).Max() > 1e-3);
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_ItemItemTerm_TwoWorkersAndSevenShardsGiveTheSingleProcessModel()
    {
        // The term's weights [90 × 20] are the last block and span two of seven parameter shards, which decay them with
        // λ_N (not the layers' λ); its neighbour index (7,200 bytes) reaches every worker and evaluator in two chunks.
        var config = DaeWithDecay with { Likelihood = Likelihood.Gaussian, GaussianClickConfidence = 2, ItemNeighbours = 20, NeighbourWeightDecay = 0.3 };
        var split = PlantedSplit.Create(60, 30, config.ItemCount, 4, seed: 7);
        string singleCheckpoint = Path.Combine(_folder, "single-neighbours.vaecf");
        var single = new Trainer(Options(singleCheckpoint, 10) with { Threads = 1 }).Train(split, config);

        const string job = "equivalence-neighbours";
        var status = await ClusterJobs.TrainAsync(fixture.Grains, job, split, config, Options(null, 10),
            new ClusterSettings { Workers = 2, ParameterShards = 7, Evaluators = 3, MaxChunkBytes = 4096 });

        var (_, expected) = TensorFile.Read(singleCheckpoint);
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder(job), "checkpoint.vaecf"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains("param/neighbours.weight", actual.Keys);
        foreach (var (name, tensor) in expected)
        {
            double worst = tensor.data<float>().ToArray().Zip(actual[name].data<float>().ToArray(), (x, y) => Math.Abs((double)x - y)).Max();
            Assert.True(worst <= 1e-5, $"{name}: largest difference {worst:E2}");
        }
        // The term was trained, not left at its starting zeros.
        Assert.Contains(actual["param/neighbours.weight"].data<float>().ToArray(), w => Math.Abs(w) > 1e-3);
        // Evaluators rank with the term: validation and test as in one process.
        for (int e = 0; e < single.History.Count; e++)
            Assert.Equal(single.History[e].ValidationNdcg100, status.History[e].ValidationNdcg100, 1e-3);
        Assert.Equal(single.Test[Model.Evaluation.RankingMetric.Ndcg(100)].Mean, status.Test.Single(t => t.Name == "NDCG@100").Mean, 1e-3);
        // The job's model file carries the index built from the training users' clicks.
        var model = ModelFile.Load(Path.Combine(ClusterJobs.Folder(job), "model.vaecf"));
        using var network = model.Network;
        Assert.Equal(ItemNeighbourhood.Build(split.Train, 20), network.NeighbourTargets!.data<long>().ToArray());
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_Bf16Products_OneWorkerGivesTheSingleProcessBf16Model()
    {
        var split = PlantedSplit.Create(230, 30, Vae.ItemCount, 4, seed: 5);
        string bf16Checkpoint = Path.Combine(_folder, "single-bf16.vaecf"), fp32Checkpoint = Path.Combine(_folder, "single-fp32.vaecf");
        new Trainer(Options(bf16Checkpoint) with { Threads = 1, Precision = MatmulPrecision.Bf16 }).Train(split, Vae);
        new Trainer(Options(fp32Checkpoint) with { Threads = 1 }).Train(split, Vae);

        await ClusterJobs.TrainAsync(fixture.Grains, "equivalence-bf16", split, Vae, Options(null) with { Precision = MatmulPrecision.Bf16 },
            new ClusterSettings { Workers = 1, ParameterShards = 2, Evaluators = 3, MaxChunkBytes = 4096 });

        var (_, expected) = TensorFile.Read(bf16Checkpoint);
        var (_, fp32) = TensorFile.Read(fp32Checkpoint);
        var (_, actual) = TensorFile.Read(Path.Combine(ClusterJobs.Folder("equivalence-bf16"), "checkpoint.vaecf"));
        // The workers multiply in bfloat16 as the single process does: the same model bit for bit, and not the fp32 one.
        foreach (var (name, tensor) in expected)
            Assert.Equal(tensor.data<float>().ToArray(), actual[name].data<float>().ToArray());
        Assert.Contains(fp32, p => !p.Value.data<float>().ToArray().SequenceEqual(actual[p.Key].data<float>().ToArray()));
    }

    [Fact(Timeout = 180_000)]
    public async Task Train_CompressedExchange_HalfTheBytesAndAboutTheSameModel()
    {
        var split = PlantedSplit.Create(230, 30, Vae.ItemCount, 4, seed: 5);
        var cluster = new ClusterSettings { Workers = 3, ParameterShards = 3, Evaluators = 3, MaxChunkBytes = 4096 };
        var exact = await ClusterJobs.TrainAsync(fixture.Grains, "exchange-float32", split, Vae, Options(null), cluster);
        var compressed = await ClusterJobs.TrainAsync(fixture.Grains, "exchange-bf16", split, Vae, Options(null),
            cluster with { CompressGradients = true });

        // The same gradient segments and parameter ranges cross silos, at two bytes a value instead of four.
        Assert.All(exact.History, h => Assert.True(h.BytesSent > 0));
        Assert.Equal(exact.History.Select(h => h.BytesSent), compressed.History.Select(h => 2 * h.BytesSent));
        double exactNdcg = exact.Test.Single(t => t.Name == "NDCG@100").Mean, compressedNdcg = compressed.Test.Single(t => t.Name == "NDCG@100").Mean;
        Assert.NotEqual(exact.History[^1].Loss, compressed.History[^1].Loss);
        Assert.True(Math.Abs(exactNdcg - compressedNdcg) < 0.02, $"test NDCG@100 {exactNdcg:F4} exact, {compressedNdcg:F4} compressed");
    }
}
