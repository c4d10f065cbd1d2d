using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>The memory estimate counts the parameters the network builds; the queue settings are checked at start.</summary>
public sealed class JobMemoryEstimateTests
{
    [Theory]
    [InlineData(ModelKind.Vae, 90, new[] { 32 }, 8, 0)]
    [InlineData(ModelKind.Dae, 90, new[] { 32 }, 8, 0)]
    [InlineData(ModelKind.Vae, 50, new[] { 20, 12 }, 5, 0)]
    [InlineData(ModelKind.Dae, 70, new int[0], 9, 0)]
    [InlineData(ModelKind.Dae, 70, new int[0], 9, 11)]
    public void ParameterCount_IsTheNetworksCount(ModelKind kind, int items, int[] hidden, int latent, int neighbours)
    {
        var config = new AutoencoderConfig { Kind = kind, ItemCount = items, HiddenDims = hidden, LatentDim = latent, ItemNeighbours = neighbours };
        using var network = new AutoencoderNetwork(config, seed: 1);

        Assert.Equal(network.ParameterCount, JobMemoryEstimate.ParameterCount(config.ToSettings()));
    }

    [Fact]
    public void BytesPerSilo_JobCopyReplicaAndShareOfShards()
    {
        // 1M parameters on 2 silos with 3 shards: the job's copy and Adam state 16 MB, the replica 8 MB, 2 of 3 shards' 12 MB.
        Assert.Equal(16e6 + 8e6 + 12e6 * 2 / 3, new JobMemoryEstimate(1_000_000, 2, 3).BytesPerSilo, 1e-6);
        // The item-item term's index (int64) sits on the job's copy and on the replica: 16 bytes an entry.
        Assert.Equal(16e6 + 8e6 + 12e6 * 2 / 3 + 16 * 5000, new JobMemoryEstimate(1_000_000, 2, 3, NeighbourEntries: 5000).BytesPerSilo, 1e-6);
    }

    [Fact]
    public void BytesPerSilo_ItemShards_ShardStateOnTheBusiestSiloPlusTheMiddle()
    {
        // [1,000,000-600-200-600-1,000,000] VAE, 4 item shards over 2 silos: the item layers are 1,000,000 × (600 + 600 + 1)
        // parameters, 2 of 4 shards on a silo at 16 bytes; the middle (first bias, 600→400, 200→600) at 20 bytes.
        var model = new ModelSettings { Kind = AutoencoderKind.Vae, ItemCount = 1_000_000, HiddenDims = [600], LatentDim = 200 };
        var estimate = JobMemoryEstimate.Of(model, new ClusterSettings { ItemShards = 4 }, silos: 2);
        long items = 1_000_000L * 1201, middle = 600 + (600 * 400 + 400) + (200 * 600 + 600);

        Assert.Equal(items + middle, estimate.Parameters);
        Assert.Equal(16.0 * items * 2 / 4 + 20.0 * middle, estimate.BytesPerSilo, 1e-3);
        Assert.Contains("4 item shard(s) over 2 silo(s), 2 on the busiest", estimate.Refusal("big", 1e9, "test"));
    }

    [Fact]
    public void Of_ItemItemTerm_CountsItsWeightsAndIndexAndNamesThemInTheRefusal()
    {
        var model = new ModelSettings { Kind = AutoencoderKind.Dae, ItemCount = 2000, HiddenDims = [], LatentDim = 100, ItemNeighbours = 50 };
        var estimate = JobMemoryEstimate.Of(model, new ClusterSettings(), silos: 1);
        Assert.Equal(2000 * 50, estimate.NeighbourEntries);
        Assert.Equal(JobMemoryEstimate.ParameterCount(model with { ItemNeighbours = 0 }) + 2000 * 50, estimate.Parameters);
        Assert.Contains("item-item term's index, 0.1M entries", estimate.Refusal("big", 1e6, "test"));
    }

    [Fact]
    public void OfRecVae_CountsTheNetworksParametersAndThePriorsCopy_AndCutsShardsAsTheJob()
    {
        var options = new VaeCfCluster.Model.RecVae.RecVaeOptions { Hidden = 20, Latent = 6, EncoderLayers = 3 };
        using var network = new VaeCfCluster.Model.RecVae.RecVaeNetwork(70, options, seed: 1);
        var spec = new TrainingJobSpec("test", new ModelSettings { ItemCount = 70 }, new TrainingSettings(), new ClusterSettings(), 1, "sha", false,
            RecVaeSettings.ToJson(options));

        var estimate = JobMemoryEstimate.Of(spec, silos: 3);

        long prior = network.PriorParameters.Sum(p => p.numel());
        Assert.Equal(network.ParameterCount, estimate.Parameters);
        Assert.Equal(prior, estimate.PriorParameters);
        Assert.Equal(network.Encoder.Parameters.Sum(p => p.numel()), prior);
        // By default each side is cut into a shard per silo; the parameters' bytes plus the prior's copy on the job's copy and the replica.
        Assert.Equal(6, estimate.Shards);
        Assert.Equal(new JobMemoryEstimate(estimate.Parameters, 3, 6).BytesPerSilo + 8.0 * prior, estimate.BytesPerSilo, 1e-6);
        Assert.Contains("prior's copy of the encoder", estimate.Refusal("big", 1e3, "test"));
        var standard = JobMemoryEstimate.Of(spec with { RecVae = RecVaeSettings.ToJson(options with { Prior = VaeCfCluster.Model.RecVae.RecVaePriorKind.Standard }) }, 3);
        Assert.Equal(0, standard.PriorParameters);
    }

    [Fact]
    public void JobQueueOptions_Defaults_AreTheDocumentedValues()
    {
        var o = new JobQueueOptions();
        Assert.Equal((2, 0L, 30.0), (o.MaxConcurrent, o.MemoryBudgetBytes, o.SlotLeaseSeconds));
        o.Validate();
    }

    [Theory]
    [InlineData(0, 0, 30, "Jobs:MaxConcurrent must be at least 1 (was 0).")]
    [InlineData(2, -1, 30, "Jobs:MemoryBudgetBytes must be 0 (the silos' free memory) or positive (was -1).")]
    [InlineData(2, 0, 1, "Jobs:SlotLeaseSeconds must be between 2 and 3600 (was 1).")]
    public void JobQueueOptions_OutOfRange_NamesTheSetting(int maxConcurrent, long budget, double lease, string expected)
    {
        var options = new JobQueueOptions { MaxConcurrent = maxConcurrent, MemoryBudgetBytes = budget, SlotLeaseSeconds = lease };

        Assert.Equal(expected, Assert.Throws<ArgumentException>(options.Validate).Message);
    }
}
