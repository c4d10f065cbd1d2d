using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Single-process training of Mult-VAE^PR / Mult-DAE (Liang et al. 2018, Algorithm 1 and Section 4.3): each epoch
/// visits the training users in a seeded order in batches, takes one Adam step per batch with β from the schedule,
/// then scores validation users by NDCG@100 and keeps the best weights; at the end the best model is scored on the
/// test users. With a checkpoint path it writes a resumable checkpoint after every epoch and, when resuming,
/// continues bit for bit.
/// </summary>
public sealed class Trainer(TrainerOptions options)
{
    private readonly TrainerOptions _options = Validated(options);

    /// <summary>The settings.</summary>
    public TrainerOptions Options => _options;

    /// <summary>Trains on <paramref name="split"/> and evaluates the best model on its test users.</summary>
    public TrainingResult Train(DataSplit split, AutoencoderConfig config, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (config.ItemCount != split.ItemCount)
            throw new ArgumentException($"Model has {config.ItemCount} items but the split has {split.ItemCount}.");
        if (_options.Threads > 0) torch.set_num_threads(_options.Threads);

        var network = new AutoencoderNetwork(config, _options.Seed, TorchDevices.Resolve(_options.Device)) { Precision = _options.Precision };
        if (config.ItemNeighbours > 0)
        {
            if (_options.ItemShards > 0)
                throw new ArgumentException("The item-item term (--item-neighbours) is not supported with item shards yet; train without --item-shards.");
            network.SetNeighbourTargets(ItemNeighbourhood.Build(split.Train, config.ItemNeighbours));
        }
        var parameters = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        using var optimizer = new AdamOptimizer(parameters, _options.Adam);
        // The checkpoint records the data it was trained on: the SHA-256 a cluster job's spec holds for the same split.
        string? dataSha256 = _options.CheckpointPath is null
            ? null
            : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Data.SplitSerializer.Serialize(split)));
        var host = new SingleProcessHost(_options, split.ItemIds, dataSha256, progress, config.Kind == ModelKind.Vae);
        if (_options.ItemShards > config.ItemCount)
            throw new ArgumentException($"{_options.ItemShards} item shards for {config.ItemCount} items: each shard needs an item.");
        if (_options.ItemShards > 0 && config.Likelihood != Likelihood.Multinomial)
            throw new ArgumentException($"Item shards need the multinomial likelihood (the model has {config.Likelihood}).");
        ITrainingStepExecutor executor = _options.ItemShards > 0
            ? new ItemShardedStepExecutor(network, optimizer, split, _options, _options.ItemShards)
            : new LocalStepExecutor(network, optimizer, split, _options);
        TrainingLoopResult result;
        try
        {
            var loop = new TrainingLoop(_options, executor, host);
            // Every step of these executors completes synchronously, so this does not block on other threads.
            result = loop.RunAsync(network, optimizer, split.Train.RowCount, cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            (executor as IDisposable)?.Dispose();
        }
        var state = result.State;
        return new TrainingResult(network, state.BestEpoch, state.BestValidationNdcg100, result.ChosenBeta, result.Test!,
            state.History, result.Completed, result.StoppedEarly, result.TimeBeforeResume);
    }

    private static TrainerOptions Validated(TrainerOptions options)
    {
        options.Validate();
        return options;
    }
}
