using System.Diagnostics.Metrics;
using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Diagnostics;

/// <summary>
/// The project's instruments (<see cref="MetricNames"/>) behind intent-named methods: what the training job, workers,
/// shards and evaluators report as they go. Exported by the silo's OpenTelemetry Prometheus endpoint.
/// </summary>
public sealed class VaeCfMetrics
{
    private readonly Counter<long> _steps;
    private readonly Counter<long> _users;
    private readonly Counter<long> _bytes;
    private readonly Gauge<double> _usersPerSecond, _loss, _reconstruction, _kl, _beta, _ndcg100, _recall20, _recall50, _state, _parameters;
    private readonly Histogram<double> _workerStep, _apply, _evaluation, _itemShardStep;
    private readonly Gauge<double> _itemShardBytes;

    /// <summary>Creates the instruments on the <see cref="MetricNames.Meter"/> meter.</summary>
    public VaeCfMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MetricNames.Meter);
        _steps = meter.CreateCounter<long>(MetricNames.TrainingSteps, "{step}", "Gradient updates applied");
        _users = meter.CreateCounter<long>(MetricNames.TrainingUsers, "{user}", "Training users processed");
        _bytes = meter.CreateCounter<long>(MetricNames.GradientBytes, "By", "Bytes moved between silos: parameter ranges loaded from other silos' shards plus gradient parts workers pushed to owners on other silos");
        _usersPerSecond = meter.CreateGauge<double>(MetricNames.TrainingUsersPerSecond, "{user}/s", "Training users per second over the current epoch");
        _loss = meter.CreateGauge<double>(MetricNames.TrainingLoss, null, "Last batch objective per user");
        _reconstruction = meter.CreateGauge<double>(MetricNames.TrainingReconstructionLoss, null, "Last batch negative log-likelihood per user");
        _kl = meter.CreateGauge<double>(MetricNames.TrainingKlDivergence, null, "Last batch KL divergence per user");
        _beta = meter.CreateGauge<double>(MetricNames.TrainingBeta, null, "KL weight of the last update of a Mult-VAE job (a Mult-DAE or RecVAE job records none)");
        _ndcg100 = meter.CreateGauge<double>(MetricNames.ValidationNdcg100, null, "Validation NDCG@100 after the last epoch");
        _recall20 = meter.CreateGauge<double>(MetricNames.ValidationRecall20, null, "Validation Recall@20 after the last epoch");
        _recall50 = meter.CreateGauge<double>(MetricNames.ValidationRecall50, null, "Validation Recall@50 after the last epoch");
        _state = meter.CreateGauge<double>(MetricNames.JobState, null, "Job state (0 created, 1 starting, 2 training, 3 validating, 4 testing, 5 completed, 6 failed, 7 cancelled, 8 queued)");
        _parameters = meter.CreateGauge<double>(MetricNames.ModelParameters, "{parameter}", "Model parameters");
        _workerStep = Seconds(meter, MetricNames.WorkerStepDuration, "A worker's step: parameter fetch, gradient, push");
        _apply = Seconds(meter, MetricNames.ParameterServerApplyDuration, "A parameter shard's update: sum, weight decay, Adam");
        _evaluation = Seconds(meter, MetricNames.EvaluationDuration, "Scoring one evaluator's held-out users");
        _itemShardStep = Seconds(meter, MetricNames.ItemShardStepDuration, "An item shard's compute in one step: partial sum, logits, output gradients, rows' gradient and Adam");
        _itemShardBytes = meter.CreateGauge<double>(MetricNames.ItemShardStateBytes, "By", "Bytes an item shard holds on its silo's device: parameters, gradients and Adam moments of its item range");
    }

    /// <summary>An item shard finished its part of a step.</summary>
    public void ItemShardStepCompleted(string job, int shard, double seconds) => _itemShardStep.Record(seconds, Tag(job), ShardTag(shard));

    /// <summary>An item shard built its tensors.</summary>
    public void ItemShardBuilt(string job, int shard, long bytes) => _itemShardBytes.Record(bytes, Tag(job), ShardTag(shard));

    private static KeyValuePair<string, object?> ShardTag(int shard) => new(MetricNames.ShardTag, shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A global step finished.</summary>
    public void StepCompleted(string job, int users, double loss, double reconstructionPerUser, double klPerUser, double? beta, long bytes, double usersPerSecond)
    {
        var tag = Tag(job);
        _steps.Add(1, tag);
        _users.Add(users, tag);
        _bytes.Add(bytes, tag);
        _loss.Record(loss, tag);
        _reconstruction.Record(reconstructionPerUser, tag);
        _kl.Record(klPerUser, tag);
        if (beta is { } b) _beta.Record(b, tag);
        _usersPerSecond.Record(usersPerSecond, tag);
    }

    /// <summary>An epoch's validation finished.</summary>
    public void ValidationCompleted(string job, double ndcg100, double recall20, double recall50)
    {
        var tag = Tag(job);
        _ndcg100.Record(ndcg100, tag);
        _recall20.Record(recall20, tag);
        _recall50.Record(recall50, tag);
    }

    /// <summary>The job changed state.</summary>
    public void JobStateChanged(string job, TrainingJobState state) => _state.Record((int)state, Tag(job));

    /// <summary>The job's model was built.</summary>
    public void ModelBuilt(string job, long parameters) => _parameters.Record(parameters, Tag(job));

    /// <summary>A worker finished its part of a step.</summary>
    public void WorkerStepCompleted(string job, double seconds) => _workerStep.Record(seconds, Tag(job));

    /// <summary>A shard applied an update.</summary>
    public void ShardApplied(string job, double seconds) => _apply.Record(seconds, Tag(job));

    /// <summary>An evaluator scored its users.</summary>
    public void EvaluationCompleted(string job, double seconds) => _evaluation.Record(seconds, Tag(job));

    /// <summary>Bucket bounds in seconds, from a fast shard update (milliseconds) to a slow evaluation (a minute).</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static Histogram<double> Seconds(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    private static KeyValuePair<string, object?> Tag(string job) => new(MetricNames.JobTag, job);
}
