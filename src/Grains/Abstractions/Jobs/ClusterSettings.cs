namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>How a job is spread over the cluster.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.ClusterSettings")]
public sealed record ClusterSettings
{
    /// <summary>Default largest payload of one grain call: 8 MiB, far under Orleans's 100 MiB message limit.</summary>
    public const int DefaultMaxChunkBytes = 8 << 20;

    /// <summary>
    /// Worker grains computing gradients. 0 (default) means <see cref="WorkersPerSilo"/> times the number of active
    /// silos. More workers split each global batch further; the result does not change (up to float summation order).
    /// </summary>
    [Id(0)] public int Workers { get; init; }

    /// <summary>Workers placed on each silo when <see cref="Workers"/> is 0. Default 1.</summary>
    [Id(1)] public int WorkersPerSilo { get; init; } = 1;

    /// <summary>
    /// Parameter-server shards. 0 (default) picks one shard per 16M parameters (64 MiB of float32), at least one
    /// per silo when the model has over 16M parameters, so no single grain carries a large model.
    /// </summary>
    [Id(2)] public int ParameterShards { get; init; }

    /// <summary>Evaluation grains scoring held-out users in parallel. 0 (default): one per worker.</summary>
    [Id(3)] public int Evaluators { get; init; }

    /// <summary>Largest payload of one grain call in bytes. Default 8 MiB; must stay well under the message limit.</summary>
    [Id(4)] public int MaxChunkBytes { get; init; } = DefaultMaxChunkBytes;

    /// <summary>
    /// Exchange between silos as bfloat16 (half the bytes, 8 mantissa bits): the gradient parts pushed to other silos'
    /// shards and the parameter copies silos load from shards owned elsewhere. Owners keep float32 parameters and Adam
    /// state (checkpoints and the saved model are float32). Off by default: it perturbs the gradient and the copies,
    /// so the model is no longer equal to single-process training; with one silo nothing is exchanged.
    /// </summary>
    [Id(5)] public bool CompressGradients { get; init; }

    /// <summary>
    /// Item shards (0, default: none). With N &gt; 0 the model's two item-sized layers are split into N item ranges held by
    /// item-shard grains spread over the silos, and the job runs the small middle layers: the exact single-process
    /// math, moving only [batch × hidden]-sized tensors per step whatever the number of items. Needs the multinomial
    /// likelihood. Workers, parameter shards and evaluators do not apply.
    /// </summary>
    [Id(6)] public int ItemShards { get; init; }

    /// <summary>Throws naming the setting to fix when a value is out of range.</summary>
    public void Validate()
    {
        if (Workers < 0) throw new ArgumentException($"{nameof(Workers)} must be 0 (auto) or positive (was {Workers}).");
        if (WorkersPerSilo < 1) throw new ArgumentException($"{nameof(WorkersPerSilo)} must be at least 1 (was {WorkersPerSilo}).");
        if (ParameterShards < 0) throw new ArgumentException($"{nameof(ParameterShards)} must be 0 (auto) or positive (was {ParameterShards}).");
        if (Evaluators < 0) throw new ArgumentException($"{nameof(Evaluators)} must be 0 (auto) or positive (was {Evaluators}).");
        if (ItemShards < 0) throw new ArgumentException($"{nameof(ItemShards)} must be 0 (unsharded) or positive (was {ItemShards}).");
        if (MaxChunkBytes is < 4096 or > 64 << 20)
            throw new ArgumentException($"{nameof(MaxChunkBytes)} must be between 4 KiB and 64 MiB (was {MaxChunkBytes}).");
    }
}
