using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>
/// Reads an item-sharded job's checkpoint (the job's middle file and the shards' parts beside it) back as the tensors
/// of a whole-model <see cref="TrainingCheckpoint"/> ("param/", "adam.m/", "adam.v/", "best/" + the network's names),
/// by concatenating the ranges in item order, so it can be compared with a single-process run's checkpoint.
/// </summary>
public static class ShardedCheckpointReader
{
    /// <summary>The whole-model tensors, and the header's item shard count, part epoch and best epoch.</summary>
    public static (Dictionary<string, Tensor> Tensors, int ItemShards, int PartEpoch, int BestEpoch) Read(string checkpointPath, AutoencoderConfig config)
    {
        var (header, middle) = TensorFile.Read(checkpointPath);
        int shards = header.GetProperty("ItemShards").GetInt32(), partEpoch = header.GetProperty("PartEpoch").GetInt32();
        int bestEpoch = header.GetProperty("State").GetProperty("BestEpoch").GetInt32();
        string folder = Path.GetDirectoryName(checkpointPath)!;
        using var network = new AutoencoderNetwork(config with { ItemCount = 1 }, seed: 1);
        var names = network.OrderedParameters.Select(p => p.Name).ToArray();
        int n = names.Length;
        var result = new Dictionary<string, Tensor>();
        foreach (var (prefix, epoch) in new[] { ("param/", partEpoch), ("adam.m/", partEpoch), ("adam.v/", partEpoch), ("best/", bestEpoch) })
        {
            var parts = Enumerable.Range(0, shards).Select(s => TensorFile.Read(Path.Combine(folder, $"itemshard-e{epoch}-{s}of{shards}.vaecf")).Tensors).ToArray();
            string partPrefix = prefix == "best/" ? "param/" : prefix;
            Tensor Cat(string part, int dim) => torch.cat(parts.Select(p => p[partPrefix + part]).ToArray(), dim);
            for (int i = 0; i < n; i++)
                result[prefix + names[i]] = i == 0 ? Cat("rows", 0) : i == n - 2 ? Cat("columns", 1) : i == n - 1 ? Cat("bias", 0) : middle[$"{prefix}middle.{i - 1}"];
        }
        return (result, shards, partEpoch, bestEpoch);
    }
}
