using System.Text.Json;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;
using VaeCfCluster.Silo.Tests.Support;

namespace VaeCfCluster.Silo.Tests;

/// <summary>
/// A real Prometheus server scrapes a running silo's <c>/metrics</c> during a short training job; the training
/// metrics are read back through Prometheus's HTTP query API and compared with the job's own status.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string Job = "metrics-test";

    [RequiresPrometheusFact(Timeout = 240_000)]
    public async Task SiloDuringTraining_PrometheusScrapesTrainingMetricsThatMatchTheJobStatus()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(230));
        var ct = cts.Token;
        await using var silo = await SiloProcess.StartReadyAsync(new Dictionary<string, string?>(), TimeSpan.FromSeconds(60), ct);
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri(silo.HttpAddress, "/metrics"), ct);
        Assert.Contains("orleans_", scrape);

        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{silo.HttpPort}", ct);
        await using var connection = await ClusterConnection.ConnectAsync(ClusterAddress.Parse($"127.0.0.1:{silo.GatewayPort}"), "vaecf", "vaecf", ct);
        // Long enough (several seconds, with nothing copied inside the silo) for a few scrapes while it runs.
        var split = PlantedSplit.Create(2000, 100, 400, 4, seed: 3);
        var config = new AutoencoderConfig { ItemCount = 400, HiddenDims = [64], LatentDim = 16 };
        var options = new TrainerOptions { Epochs = 60, BatchSize = 40, Seed = 5, Beta = new BetaScheduleOptions { TotalAnnealSteps = 300 } };
        var job = new TrainingJobClient(connection.Client, Job);
        await job.StartAsync(SplitSerializer.Serialize(split), "planted", config, options,
            new ClusterSettings(), fresh: true, ct);

        // While the job runs, Prometheus has scraped steps from it (the target's "job" label is kept as exported_job).
        string steps = $"vaecf_training_steps_total{{exported_job=\"{Job}\"}}";
        double? seen = null;
        while (!(await job.Job.GetStatusAsync()).IsFinished)
        {
            seen = await prometheus.QueryScalarAsync(steps, ct);
            if (seen > 0) break;
            await Task.Delay(250, ct);
        }
        Assert.True(seen > 0, $"Prometheus saw no training steps while the job ran: {await prometheus.QueryAsync("vaecf_training_steps_total", ct)}\n{prometheus.Output}");

        var final = await job.WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken: ct);
        Assert.Equal(TrainingJobState.Completed, final.State);
        // After the job, the next scrapes carry its final values.
        double lastNdcg = final.History[^1].ValidationNdcg100;
        while (await prometheus.QueryScalarAsync(steps, ct) != final.Step
               || await prometheus.QueryScalarAsync($"vaecf_job_state{{exported_job=\"{Job}\"}}", ct) != (int)TrainingJobState.Completed)
            await Task.Delay(250, ct);
        Assert.Equal(lastNdcg, (await prometheus.QueryScalarAsync($"vaecf_validation_ndcg_at_100{{exported_job=\"{Job}\"}}", ct))!.Value, 1e-9);
        Assert.Equal(final.History[^1].Beta, (await prometheus.QueryScalarAsync($"vaecf_training_beta{{exported_job=\"{Job}\"}}", ct))!.Value, 1e-9);
        Assert.Equal(final.ParameterCount, (await prometheus.QueryScalarAsync($"vaecf_model_parameters{{exported_job=\"{Job}\"}}", ct))!.Value);
        Assert.Equal(final.Step, (await prometheus.QueryScalarAsync($"vaecf_worker_step_duration_seconds_count{{exported_job=\"{Job}\"}}", ct))!.Value);
        double users = (await prometheus.QueryScalarAsync($"vaecf_training_users_total{{exported_job=\"{Job}\"}}", ct))!.Value;
        Assert.Equal(options.Epochs * split.Train.RowCount, users);
        // One silo: workers and shards share its replica, so no gradient or parameter bytes cross a silo boundary.
        Assert.Equal(0, final.History.Sum(h => h.BytesSent));
        Assert.Equal(0, await prometheus.QueryScalarAsync($"vaecf_gradient_bytes_total{{exported_job=\"{Job}\"}}", ct) ?? 0);
    }
}
