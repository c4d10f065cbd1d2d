using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// The job's copy of the model a data-parallel cluster trains, as the shards see it: one tensor per block of the flat
/// parameter vector for the parameters and each Adam moment, and each shard's Adam step count. A Mult-VAE / Mult-DAE
/// has one optimizer; a RecVAE two (the encoder's shards count the encoder's steps, the decoder's the decoder's).
/// </summary>
internal sealed class ClusterMirror
{
    private readonly AdamOptimizer[] _optimizers;
    private readonly int[] _firstShards;

    private ClusterMirror(Tensor[] parameters, AdamOptimizer[] optimizers, int[] firstShards)
    {
        Parameters = parameters;
        _optimizers = optimizers;
        _firstShards = firstShards;
        FirstMoments = optimizers.SelectMany(o => o.FirstMoments).ToArray();
        SecondMoments = optimizers.SelectMany(o => o.SecondMoments).ToArray();
    }

    /// <summary>A Mult-VAE's or Mult-DAE's: one optimizer over every shard.</summary>
    public static ClusterMirror Of(AutoencoderNetwork network, AdamOptimizer optimizer) => new(FlatParameters.Tensors(network), [optimizer], [0]);

    /// <summary>A RecVAE's: the encoder's optimizer over shards [0, <paramref name="decoderShard"/>), the decoder's over the rest.</summary>
    public static ClusterMirror Of(RecVaeNetwork network, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam, int decoderShard) =>
        new(network.Parameters.Select(p => (Tensor)p).ToArray(), [encoderAdam, decoderAdam], [0, decoderShard]);

    /// <summary>The parameters, one tensor per block.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Adam's first moments, one tensor per block.</summary>
    public IReadOnlyList<Tensor> FirstMoments { get; }

    /// <summary>Adam's second moments, one tensor per block.</summary>
    public IReadOnlyList<Tensor> SecondMoments { get; }

    /// <summary>The step count of the optimizer shard <paramref name="shard"/> belongs to.</summary>
    public long StepCountOf(int shard) => OptimizerOf(shard).StepCount;

    /// <summary>The step count every shard and the parameter server start from: the sum of the optimizers'.</summary>
    public long TotalSteps => _optimizers.Sum(o => o.StepCount);

    /// <summary>Sets each optimizer's step count from its shards' (which must agree).</summary>
    public void SetStepCounts(IReadOnlyList<long> shardSteps)
    {
        for (int k = 0; k < _optimizers.Length; k++)
        {
            int end = k + 1 < _firstShards.Length ? _firstShards[k + 1] : shardSteps.Count;
            var steps = shardSteps.Skip(_firstShards[k]).Take(end - _firstShards[k]).Distinct().ToArray();
            if (steps.Length != 1) throw new InvalidOperationException($"Shards disagree on Adam's step count: {string.Join(", ", shardSteps)}.");
            _optimizers[k].SetStepCount(steps[0]);
        }
    }

    private AdamOptimizer OptimizerOf(int shard)
    {
        int k = _firstShards.Length - 1;
        while (k > 0 && shard < _firstShards[k]) k--;
        return _optimizers[k];
    }
}
