using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// The job's side of an item-sharded checkpoint: what <see cref="TrainingCheckpoint"/> holds (model config, run
/// settings, item index, data SHA-256, training state) with only the small middle's weights, Adam moments and best
/// weights, plus the item shard count and the epoch whose shard parts (<see cref="ItemShardPart"/>) are current. The
/// state's best epoch names the parts holding the best item-layer weights. It is written after every part of its epoch,
/// so a crash between the two leaves the previous checkpoint and its parts in force. The parts of the current epoch
/// were written by <c>ItemShards</c> shards; the best epoch's parts may be of an earlier shard count (a job resumed with
/// another <c>--item-shards</c> re-cuts the parts it reads: <see cref="Sharding.ItemShardPart.LoadRecut"/>).
/// </summary>
public static class ItemShardedCheckpoint
{
    private const string Format = "vaecf-item-sharded-checkpoint/1";

    /// <summary>
    /// Writes the checkpoint atomically; <paramref name="bestPartShards"/> is the shard count of the best epoch's parts
    /// (0: <paramref name="itemShards"/>, unless they predate a re-cut).
    /// </summary>
    public static void Save(string path, AutoencoderConfig config, ItemShardedMiddle middle, IReadOnlyList<Tensor> bestMiddle, TrainerOptions options,
        IReadOnlyList<string> itemIds, TrainingState state, string? dataSha256, int itemShards, int partEpoch, int bestPartShards = 0)
    {
        var header = new Header(Format, config, TrainingCheckpoint.RunIdentity.From(options), itemIds.ToArray(), state, dataSha256, itemShards, partEpoch,
            bestPartShards > 0 ? bestPartShards : itemShards);
        var parameters = middle.Parameters.ToArray();
        var tensors = new List<(string, Tensor)>();
        for (int i = 0; i < parameters.Length; i++)
        {
            tensors.Add(($"param/middle.{i}", parameters[i]));
            tensors.Add(($"adam.m/middle.{i}", middle.Optimizer.FirstMoments[i]));
            tensors.Add(($"adam.v/middle.{i}", middle.Optimizer.SecondMoments[i]));
            tensors.Add(($"best/middle.{i}", bestMiddle[i]));
        }
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header), tensors);
    }

    /// <summary>
    /// Loads the middle's weights, moments and best weights (a middle of <paramref name="config"/>'s shapes), after checking the data, model, run settings
    /// and item index against this run's; returns the training state, the epoch of the current parts and the shard counts
    /// that wrote the current and the best parts (which may differ from this run's: the parts are then re-cut as they are read).
    /// </summary>
    public static ItemShardedRestore Restore(string path, AutoencoderConfig config, ItemShardedMiddle middle, IReadOnlyList<Tensor> bestMiddle,
        TrainerOptions options, IReadOnlyList<string> itemIds, string? dataSha256)
    {
        var (json, tensors) = TensorFile.Read(path);
        try
        {
            var header = TensorFile.ReadHeaderAs<Header>(path, json);
            if (header.Format != Format)
                throw new CheckpointFormatException(path, $"is a '{header.Format}' file, not an item-sharded training checkpoint.");
            if (header.ItemIds is null || header.State?.History is null || header.Config is null)
                throw new CheckpointFormatException(path, "the header lacks the model, the item index or the training state.");
            TrainingCheckpoint.Require(path, header.DataSha256 is null || dataSha256 is null || header.DataSha256 == dataSha256,
                $"it was trained on other data (data SHA-256 {TrainingCheckpoint.Short(header.DataSha256)} in the checkpoint, " +
                $"{TrainingCheckpoint.Short(dataSha256)} now); train on the data it was trained on, or start over (--fresh).");
            if (header.ItemShards < 1 || header.BestPartShards < 0 || header.ItemShards > config.ItemCount || header.BestPartShards > config.ItemCount)
                throw new CheckpointFormatException(path, $"names parts of {header.ItemShards} item shards (best: {header.BestPartShards}) for {config.ItemCount} items.");
            TrainingCheckpoint.Require(path, JsonSerializer.Serialize(header.Config, TrainingCheckpoint.SettingsJson) ==
                                             JsonSerializer.Serialize(config, TrainingCheckpoint.SettingsJson),
                $"model settings differ (checkpoint: {JsonSerializer.Serialize(header.Config, TrainingCheckpoint.SettingsJson)}).");
            var run = TrainingCheckpoint.RunIdentity.From(options);
            TrainingCheckpoint.Require(path, header.Run == run, $"run settings differ (checkpoint: {header.Run}; now: {run}).");
            TrainingCheckpoint.Require(path, header.ItemIds.SequenceEqual(itemIds),
                "item index differs (" + TrainingCheckpoint.ItemIndexDifference(header.ItemIds, itemIds) + ").");
            if (header.PartEpoch != header.State.CompletedEpochs || header.State.BestEpoch < 0 || header.State.BestEpoch > header.PartEpoch)
                throw new CheckpointFormatException(path, $"names parts of epoch {header.PartEpoch} and best epoch {header.State.BestEpoch} " +
                                                          $"for {header.State.CompletedEpochs} completed epochs.");
            var parameters = middle.Parameters.ToArray();
            using var noGrad = torch.no_grad();
            var first = new Tensor[parameters.Length];
            var second = new Tensor[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(TrainingCheckpoint.Get(path, tensors, $"param/middle.{i}", parameters[i]));
                first[i] = TrainingCheckpoint.Get(path, tensors, $"adam.m/middle.{i}", parameters[i]);
                second[i] = TrainingCheckpoint.Get(path, tensors, $"adam.v/middle.{i}", parameters[i]);
                bestMiddle[i].copy_(TrainingCheckpoint.Get(path, tensors, $"best/middle.{i}", parameters[i]));
            }
            if (tensors.Count != 4 * parameters.Length)
                throw new CheckpointFormatException(path, $"holds {tensors.Count} tensors; the middle of this model has {4 * parameters.Length}.");
            middle.Optimizer.Restore(header.State.Step, first, second);
            return new ItemShardedRestore(header.State, header.PartEpoch, header.ItemShards, header.BestPartShards > 0 ? header.BestPartShards : header.ItemShards);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private sealed record Header(string Format, AutoencoderConfig Config, TrainingCheckpoint.RunIdentity Run, string[] ItemIds, TrainingState State,
        string? DataSha256, int ItemShards, int PartEpoch, int BestPartShards);
}
