using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Networks;

/// <summary>
/// The kept-click weight (emphasized denoising): clicks dropout kept weigh w in the multinomial likelihood, dropped
/// ones 1. Checked against the dropout rule recomputed here from <see cref="CounterRandom.Uniform"/> and against a
/// dense −Σ W ⊙ log softmax(f) differentiated by autograd.
/// </summary>
public sealed class KeptClickWeightTests
{
    private const ulong Seed = 41;
    private const long Epoch = 3;
    private const double Dropout = 0.5;

    // 6 users over 9 items; user 4 clicks nothing.
    private static readonly ClickMatrix Clicks = ClickMatrix.FromPairs(6, 9,
        [0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 5, 5, 5, 5],
        [0, 3, 8, 2, 5, 0, 1, 4, 6, 7, 3, 4, 8, 1, 2, 5, 8]);

    private static readonly int[] Rows = [0, 1, 2, 3, 4, 5];

    private static bool Dropped(int user, int item) =>
        CounterRandom.Uniform(Seed, CounterRandom.DropoutStream, (ulong)Epoch, (ulong)user, (ulong)item) >= 1.0 - Dropout;

    /// <summary>The batch of every row, dropout as the rule above, kept clicks weighted <paramref name="keptWeight"/>.</summary>
    private static SparseBatch WeightedBatch(double keptWeight) =>
        SparseBatch.Create(Clicks, Rows, Dropout, Seed, Epoch, keptClickWeight: keptWeight);

    /// <summary>The dense [B, I] likelihood weights: w on kept clicks, 1 on dropped ones, 0 elsewhere.</summary>
    private static float[] ExpectedWeights(double keptWeight)
    {
        var weights = new float[Rows.Length * Clicks.ColumnCount];
        foreach (int u in Rows)
            foreach (int i in Clicks.Row(u))
                weights[u * Clicks.ColumnCount + i] = Dropped(u, i) ? 1f : (float)keptWeight;
        return weights;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Create_KeptWeight_WeighsKeptClicksAndCountsTheWeights(double keptWeight)
    {
        using var scope = torch.NewDisposeScope();
        var batch = WeightedBatch(keptWeight);
        var flat = batch.ClickFlatIndices.data<long>().ToArray();
        var weights = batch.ClickWeights!.data<float>().ToArray();
        var expected = ExpectedWeights(keptWeight);
        Assert.Equal(flat.Select(f => expected[f]).ToArray(), weights);
        Assert.Contains(1f, weights);
        Assert.Contains((float)keptWeight, weights);
        var counts = Rows.Select(u => Clicks.Row(u).ToArray().Sum(i => (double)expected[u * Clicks.ColumnCount + i])).ToArray();
        var actual = batch.ClickCounts.data<float>().ToArray();
        for (int u = 0; u < Rows.Length; u++) Assert.Equal(counts[u], actual[u], 6);
    }

    [Fact]
    public void Create_WeightOneOrNoDropout_HasNoClickWeights()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Null(SparseBatch.Create(Clicks, Rows, Dropout, Seed, Epoch).ClickWeights);
        Assert.Null(SparseBatch.Create(Clicks, Rows, 0, Seed, Epoch, keptClickWeight: 0.2).ClickWeights);
    }

    [Fact]
    public void Assemble_OnTheDevice_SameWeightsAndCountsAsTheHost()
    {
        using var assembler = new DeviceBatchAssembler(Clicks, torch.CPU);
        using var scope = torch.NewDisposeScope();
        var host = WeightedBatch(0.3);
        var (device, _) = assembler.Assemble(Rows, Dropout, Seed, Epoch, latentDim: 0, keptClickWeight: 0.3);
        Assert.Equal(host.ClickFlatIndices.data<long>().ToArray(), device.ClickFlatIndices.data<long>().ToArray());
        Assert.Equal(host.ClickWeights!.data<float>().ToArray(), device.ClickWeights!.data<float>().ToArray());
        Assert.Equal(host.ClickCounts.data<float>().ToArray(), device.ClickCounts.data<float>().ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Multinomial_KeptWeight_EqualsDenseWeightedLogSoftmaxAndItsGradient(double keptWeight)
    {
        using var scope = torch.NewDisposeScope();
        var batch = WeightedBatch(keptWeight);
        var logits = torch.randn([Rows.Length, Clicks.ColumnCount], generator: new torch.Generator(7));
        var config = new AutoencoderConfig { ItemCount = Clicks.ColumnCount, KeptClickWeight = keptWeight };

        var leaf = logits.clone().requires_grad_(true);
        var dense = torch.tensor(ExpectedWeights(keptWeight), [Rows.Length, Clicks.ColumnCount]);
        var expected = dense.mul(leaf.log_softmax(1)).sum().neg();
        expected.DividedBy(4.0).backward();

        var (nll, gradient) = AutoencoderObjective.MultinomialWithGradient(logits, batch, divisor: 4.0);
        var plain = AutoencoderObjective.NegativeLogLikelihoodSum(logits, batch, config);
        Assert.Equal(expected.item<float>(), nll.item<float>(), 4);
        Assert.Equal(expected.item<float>(), plain.item<float>(), 4);
        var want = leaf.grad!.data<float>().ToArray();
        var got = gradient.data<float>().ToArray();
        for (int k = 0; k < want.Length; k++) Assert.True(Math.Abs(want[k] - got[k]) <= 1e-6, $"element {k}: {want[k]} vs {got[k]}");
    }

    [Fact]
    public void WeightZero_LossIsTheDroppedClicksAlone()
    {
        using var scope = torch.NewDisposeScope();
        var batch = WeightedBatch(0);
        var logits = torch.randn([Rows.Length, Clicks.ColumnCount], generator: new torch.Generator(8));
        var logSoftmax = logits.log_softmax(1).data<float>().ToArray();
        double expected = 0;
        foreach (int u in Rows)
            foreach (int i in Clicks.Row(u))
                if (Dropped(u, i)) expected -= logSoftmax[u * Clicks.ColumnCount + i];
        var (nll, _) = AutoencoderObjective.MultinomialWithGradient(logits, batch, divisor: 1);
        Assert.Equal(expected, nll.item<float>(), 4);
    }

    [Theory]
    [InlineData(-0.1, Likelihood.Multinomial, 0.5, "KeptClickWeight must be in [0, 1]")]
    [InlineData(1.5, Likelihood.Multinomial, 0.5, "KeptClickWeight must be in [0, 1]")]
    [InlineData(0.5, Likelihood.Gaussian, 0.5, "needs the multinomial likelihood")]
    [InlineData(0.5, Likelihood.Multinomial, 0.0, "needs dropout")]
    public void Validate_UnusableKeptWeight_NamesTheProblem(double keptWeight, Likelihood likelihood, double dropout, string message)
    {
        var config = new AutoencoderConfig { ItemCount = 9, KeptClickWeight = keptWeight, Likelihood = likelihood, DropoutRate = dropout };
        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Training_KeptWeight_DeviceAssemblyMatchesHostAndDiffersFromTheDefault()
    {
        var split = PlantedSplit.Create(trainUsers: 80, heldOutUsers: 16, items: 40, groups: 4, seed: 12);
        TrainingResult Run(BatchAssembly assembly, double keptWeight) =>
            new Trainer(new TrainerOptions { Epochs = 2, BatchSize = 9, Seed = 5, BatchAssembly = assembly, Threads = 1 })
                .Train(split, new AutoencoderConfig { Kind = ModelKind.Dae, ItemCount = 40, HiddenDims = [], LatentDim = 8, KeptClickWeight = keptWeight });
        var host = Run(BatchAssembly.Host, 0.25);
        var device = Run(BatchAssembly.Device, 0.25);
        var plain = Run(BatchAssembly.Host, 1.0);
        for (int e = 0; e < 2; e++) Assert.Equal(host.History[e].Loss, device.History[e].Loss, 4);
        var hostWeights = host.BestNetwork.OrderedParameters.SelectMany(p => p.Tensor.data<float>().ToArray()).ToArray();
        var deviceWeights = device.BestNetwork.OrderedParameters.SelectMany(p => p.Tensor.data<float>().ToArray()).ToArray();
        var plainWeights = plain.BestNetwork.OrderedParameters.SelectMany(p => p.Tensor.data<float>().ToArray()).ToArray();
        Assert.True(hostWeights.Zip(deviceWeights).Max(p => Math.Abs(p.First - p.Second)) <= 1e-5);
        Assert.True(hostWeights.Zip(plainWeights).Max(p => Math.Abs(p.First - p.Second)) > 1e-4);
        Assert.True(host.History[0].Loss < plain.History[0].Loss, "kept clicks weigh less, so the summed loss is smaller");
        Assert.Equal(host.Test[RankingMetric.Ndcg(100)].Mean, device.Test[RankingMetric.Ndcg(100)].Mean, 4);
    }
}
