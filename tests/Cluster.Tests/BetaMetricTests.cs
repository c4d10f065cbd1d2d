using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using VaeCfCluster.Cluster.Tests.Support;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Cluster.Tests;

/// <summary>
/// The β gauge (<c>vaecf_training_beta</c>) follows a Mult-VAE job's annealing and stays silent for a Mult-DAE job,
/// whose loss has no KL term (it once showed the schedule's β there as well).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BetaMetricTests(ThreeSiloCluster fixture)
{
    [Fact(Timeout = 120_000)]
    public async Task VaeAndDaeJobs_BetaGaugeRecordsTheVaesAnnealingAndNothingForTheDae()
    {
        var split = PlantedSplit.Create(120, 20, 40, 3, seed: 3);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 30, Seed = 1, Beta = new BetaScheduleOptions { TotalAnnealSteps = 100 } };
        var betas = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricNames.Meter && instrument.Name == MetricNames.TrainingBeta) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == MetricNames.JobTag && tag.Value is string job) betas.GetOrAdd(job, _ => []).Add(value);
        });
        listener.Start();

        var vae = await ClusterJobs.TrainAsync(fixture.Grains, "beta-vae", split, new AutoencoderConfig { ItemCount = 40, HiddenDims = [16], LatentDim = 4 },
            options, new ClusterSettings { Workers = 2 });
        var dae = await ClusterJobs.TrainAsync(fixture.Grains, "beta-dae", split, AutoencoderConfig.ForDae(40) with { LatentDim = 8 },
            options, new ClusterSettings { Workers = 2 });

        Assert.Equal((TrainingJobState.Completed, TrainingJobState.Completed), (vae.State, dae.State));
        // One β a step, step s (from 0) annealing to s / 100.
        Assert.True(vae.Step >= 4, $"{vae.Step} steps");
        Assert.Equal(Enumerable.Range(0, (int)vae.Step).Select(s => s / 100.0), betas["beta-vae"].Order().Select(b => Math.Round(b, 9)));
        Assert.False(betas.ContainsKey("beta-dae"), "a Mult-DAE job recorded β");
        Assert.False(dae.AnnealsBeta);
    }
}
