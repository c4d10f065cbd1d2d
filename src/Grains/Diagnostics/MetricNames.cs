namespace VaeCfCluster.Grains.Diagnostics;

/// <summary>
/// Names and units of VaeCfCluster's instruments, in one place. The Prometheus exporter turns the dots into
/// underscores, adds the unit ("s" → <c>_seconds</c>) and <c>_total</c> to counters: <c>vaecf.training.steps</c> is
/// scraped as <c>vaecf_training_steps_total</c>. Every training series carries the tag <see cref="JobTag"/>.
/// </summary>
public static class MetricNames
{
    /// <summary>The meter's name (add it to OpenTelemetry with <c>AddMeter</c>).</summary>
    public const string Meter = "VaeCfCluster";

    /// <summary>Tag holding the training job id (Prometheus shows it as <c>exported_job</c> unless labels are honoured).</summary>
    public const string JobTag = "job";

    /// <summary>Counter: gradient updates applied.</summary>
    public const string TrainingSteps = "vaecf.training.steps";

    /// <summary>Counter: training users processed.</summary>
    public const string TrainingUsers = "vaecf.training.users";

    /// <summary>Gauge: training users per second over the current epoch.</summary>
    public const string TrainingUsersPerSecond = "vaecf.training.users_per_second";

    /// <summary>Gauge: the last batch's objective (−log-likelihood + β·KL) per user.</summary>
    public const string TrainingLoss = "vaecf.training.loss";

    /// <summary>Gauge: the last batch's −log-likelihood per user.</summary>
    public const string TrainingReconstructionLoss = "vaecf.training.reconstruction_loss";

    /// <summary>Gauge: the last batch's KL divergence per user (0 for the DAE).</summary>
    public const string TrainingKlDivergence = "vaecf.training.kl_divergence";

    /// <summary>Gauge: β of the last update.</summary>
    public const string TrainingBeta = "vaecf.training.beta";

    /// <summary>Gauge: validation NDCG@100 after the last epoch.</summary>
    public const string ValidationNdcg100 = "vaecf.validation.ndcg_at_100";

    /// <summary>Gauge: validation Recall@20 after the last epoch.</summary>
    public const string ValidationRecall20 = "vaecf.validation.recall_at_20";

    /// <summary>Gauge: validation Recall@50 after the last epoch.</summary>
    public const string ValidationRecall50 = "vaecf.validation.recall_at_50";

    /// <summary>Counter (bytes): parameters fetched plus gradients pushed between grains.</summary>
    public const string GradientBytes = "vaecf.gradient.bytes";

    /// <summary>Histogram (seconds): a worker's step (fetch, gradient, push).</summary>
    public const string WorkerStepDuration = "vaecf.worker.step.duration";

    /// <summary>Histogram (seconds): a parameter shard's update (sum, weight decay, Adam).</summary>
    public const string ParameterServerApplyDuration = "vaecf.parameter_server.apply.duration";

    /// <summary>Histogram (seconds): scoring one evaluator's range of held-out users.</summary>
    public const string EvaluationDuration = "vaecf.evaluation.duration";

    /// <summary>Gauge: the job's state as a number (TrainingJobState: 2 training, 5 completed, 6 failed, ...).</summary>
    public const string JobState = "vaecf.job.state";

    /// <summary>Gauge: the job's model size in parameters.</summary>
    public const string ModelParameters = "vaecf.model.parameters";
    public const string ItemShardStepDuration = "vaecf.item_shard.step.duration";
    public const string ItemShardStateBytes = "vaecf.item_shard.state.bytes";
    public const string ShardTag = "shard";
}
