using System.Globalization;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Sharding;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// What a job's parameters and Adam state take on the busiest silo, worked out from its settings before anything is
/// allocated: float32 values, 4 bytes each. The silo holding the job keeps its copy of the model (weights, gradient,
/// two Adam moments: 16 bytes a parameter); every silo keeps a replica its workers and evaluators share (weights and
/// gradient: 8 bytes a parameter) and owns its share of the parameter shards (weights and two moments: 12 bytes a
/// parameter, over the silos). An item-sharded job instead keeps each item range's weights, gradient and two moments
/// (16 bytes a parameter) on the silo of its shard, the busiest silo holding ceil(S / silos) of S, and only the small
/// middle on the job's silo (with its best copy: 20 bytes a parameter); the whole network exists once, briefly, when a
/// fresh job writes its starting weights (4 bytes a parameter). A model with the item-item term also keeps its neighbour
/// index (int64, 8 bytes an entry) on the job's copy and on the replica; a RecVAE with the composite prior keeps the
/// prior's copy of its encoder (4 bytes a parameter) on both too. Activations and data come on top, so the estimate is
/// a floor.
/// </summary>
/// <param name="Parameters">Parameters of the model.</param>
/// <param name="Silos">Silos the job spreads over.</param>
/// <param name="Shards">Parameter shards (the cluster's choice when the job leaves it at 0), or item shards.</param>
/// <param name="ItemParameters">With item shards: the parameters of the two item-sized layers (0: no item shards).</param>
/// <param name="NeighbourEntries">Entries of the item-item term's neighbour index, items × neighbours (0: no term).</param>
/// <param name="PriorParameters">A RecVAE's prior copy of its encoder (0: none).</param>
internal sealed record JobMemoryEstimate(long Parameters, int Silos, int Shards, long ItemParameters = 0, long NeighbourEntries = 0,
    long PriorParameters = 0)
{
    /// <summary>Bytes on the most loaded silo.</summary>
    public double BytesPerSilo
    {
        get
        {
            int shardsHere = (Shards + Silos - 1) / Silos;
            if (ItemParameters > 0)
                return Math.Max(4.0 * Parameters, 16.0 * ItemParameters * shardsHere / Shards + 20.0 * (Parameters - ItemParameters));
            return 4.0 * Parameters * (4 + 2) + 4.0 * Parameters * 3 * shardsHere / Shards + 8.0 * NeighbourEntries * 2 + 4.0 * PriorParameters * 2;
        }
    }

    /// <summary>The estimate for the job <paramref name="spec"/> describes (an autoencoder or a RecVAE) over <paramref name="silos"/> silos.</summary>
    public static JobMemoryEstimate Of(TrainingJobSpec spec, int silos) =>
        spec.RecVae is { } recVae ? OfRecVae(RecVaeSettings.Parse(recVae), spec.Model.ItemCount, spec.Cluster, silos) : Of(spec.Model, spec.Cluster, silos);

    /// <summary>
    /// The estimate for a RecVAE of <paramref name="options"/> on <paramref name="items"/> items, its shards cut as the job
    /// cuts them (at least one for the encoder and one for the decoder; by default each side per silo).
    /// </summary>
    public static JobMemoryEstimate OfRecVae(Model.RecVae.RecVaeOptions options, int items, ClusterSettings cluster, int silos)
    {
        long parameters = (long)options.ParameterCount(items), decoder = (long)options.Latent * items + items, encoder = parameters - decoder;
        silos = Math.Max(1, silos);
        int shards = cluster.ParameterShards > 0
            ? Math.Max(2, cluster.ParameterShards)
            : ClusterPlan.AutoShards(encoder, silos) + ClusterPlan.AutoShards(decoder, silos);
        return new JobMemoryEstimate(parameters, silos, shards,
            PriorParameters: options.Prior == Model.RecVae.RecVaePriorKind.Composite ? encoder : 0);
    }

    /// <summary>The estimate for <paramref name="model"/> spread as <paramref name="cluster"/> says over <paramref name="silos"/> silos.</summary>
    public static JobMemoryEstimate Of(ModelSettings model, ClusterSettings cluster, int silos)
    {
        long parameters = ParameterCount(model);
        if (cluster.ItemShards > 0)
        {
            var (first, last) = ItemShard.ItemSizedLayerWidths(model.ToConfig());
            return new JobMemoryEstimate(parameters, Math.Max(1, silos), cluster.ItemShards, (long)model.ItemCount * (first + last + 1));
        }
        int shards = cluster.ParameterShards > 0 ? cluster.ParameterShards : ClusterPlan.AutoShards(parameters, silos);
        return new JobMemoryEstimate(parameters, Math.Max(1, silos), shards, NeighbourEntries: (long)model.ItemCount * model.ItemNeighbours);
    }

    /// <summary>
    /// Parameters of the autoencoder, counted as the network builds its layers: items → hidden → latent (twice the
    /// latent for the VAE's mean and log-variance) and back, a weight matrix and a bias per layer, and the item-item
    /// term's items × neighbours weights.
    /// </summary>
    public static long ParameterCount(ModelSettings model)
    {
        int[] dims = [model.ItemCount, .. model.HiddenDims, model.LatentDim];
        long count = 0;
        for (int l = 0; l + 1 < dims.Length; l++)
        {
            long output = l + 2 == dims.Length && model.Kind == AutoencoderKind.Vae ? 2L * dims[l + 1] : dims[l + 1];
            count += (long)dims[l] * output + output;
            count += (long)dims[l + 1] * dims[l] + dims[l];
        }
        return count + (long)model.ItemCount * model.ItemNeighbours;
    }

    /// <summary>The one-line refusal when <see cref="BytesPerSilo"/> exceeds <paramref name="available"/>.</summary>
    public string Refusal(string jobId, double available, string source) => ItemParameters > 0
        ? string.Create(CultureInfo.InvariantCulture,
            $"Job '{jobId}' needs about {Gigabytes(BytesPerSilo)} per silo ({ItemParameters / 1e6:0.#}M item-layer parameters in {Shards} item shard(s) " +
            $"over {Silos} silo(s), {(Shards + Silos - 1) / Silos} on the busiest, × 4 bytes × (weights + gradient + 2 Adam moments)), " +
            $"the silos have {Gigabytes(available)} free ({source}); use more silos, or fewer items or smaller layers.")
        : string.Create(CultureInfo.InvariantCulture,
        $"Job '{jobId}' needs about {Gigabytes(BytesPerSilo)} per silo ({Parameters / 1e6:0.#}M parameters × 4 bytes × (weights + gradient + 2 Adam moments) " +
        $"for the job's copy, + weights and gradient for each silo's replica, + {Shards} shard(s) over {Silos} silo(s){IndexPart}), " +
        $"the silos have {Gigabytes(available)} free ({source}); use fewer items or smaller layers, more silos, or bigger ones.");

    private string IndexPart => (NeighbourEntries > 0
        ? string.Create(CultureInfo.InvariantCulture, $", + the item-item term's index, {NeighbourEntries / 1e6:0.#}M entries × 8 bytes on the copy and the replica")
        : "") + (PriorParameters > 0
        ? string.Create(CultureInfo.InvariantCulture, $", + the prior's copy of the encoder, {PriorParameters / 1e6:0.#}M parameters × 4 bytes on the copy and the replica")
        : "");

    private static string Gigabytes(double bytes) => bytes >= 1e9
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
