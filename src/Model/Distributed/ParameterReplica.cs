using System.Runtime.InteropServices;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// A worker's or evaluator's copy of the model: the network, its flat layout, the shard boundaries and the version
/// of each shard it last loaded, so it fetches a shard again only when that shard's version changed.
/// </summary>
public sealed class ParameterReplica : IDisposable
{
    private readonly long[] _versions;

    /// <summary>Builds the network on <paramref name="device"/> and checks it matches the shard layout.</summary>
    public ParameterReplica(AutoencoderConfig config, long[] shardStarts, Device device)
    {
        Network = new AutoencoderNetwork(config, seed: 0, device);
        Layout = ParameterLayout.Of(Network);
        if (shardStarts.Length < 2 || shardStarts[0] != 0 || shardStarts[^1] != Layout.TotalLength)
            throw new ArgumentException($"Shard layout covers [{shardStarts.FirstOrDefault()}, {shardStarts.LastOrDefault()}) but the model has {Layout.TotalLength} parameters.");
        ShardStarts = shardStarts;
        _versions = Enumerable.Repeat(-1L, shardStarts.Length - 1).ToArray();
    }

    /// <summary>The network whose parameters mirror the shards.</summary>
    public AutoencoderNetwork Network { get; }

    /// <summary>Its flat layout.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Shard boundaries (count + 1 offsets).</summary>
    public long[] ShardStarts { get; }

    /// <summary>Number of shards.</summary>
    public int ShardCount => _versions.Length;

    /// <summary>Parameters in shard <paramref name="shard"/>.</summary>
    public long ShardLength(int shard) => ShardStarts[shard + 1] - ShardStarts[shard];

    /// <summary>Shards whose loaded version differs from <paramref name="versions"/>.</summary>
    public IReadOnlyList<int> StaleShards(long[] versions)
    {
        if (versions.Length != _versions.Length) throw new ArgumentException($"{versions.Length} shard versions for {_versions.Length} shards.");
        return Enumerable.Range(0, _versions.Length).Where(s => _versions[s] != versions[s]).ToArray();
    }

    /// <summary>Writes float32 <paramref name="values"/> into shard <paramref name="shard"/>'s range from <paramref name="offset"/>.</summary>
    public void Load(int shard, long offset, ReadOnlySpan<byte> values)
    {
        var floats = MemoryMarshal.Cast<byte, float>(values);
        if (offset < 0 || offset + floats.Length > ShardLength(shard))
            throw new ArgumentOutOfRangeException(nameof(offset), $"Values [{offset}, {offset + floats.Length}) are outside shard {shard}.");
        FlatParameters.Write(Network, Layout, ShardStarts[shard] + offset, floats);
    }

    /// <summary>Records that shard <paramref name="shard"/> is now at <paramref name="version"/>.</summary>
    public void MarkLoaded(int shard, long version) => _versions[shard] = version;

    /// <summary>Frees the network.</summary>
    public void Dispose() => Network.Dispose();
}
