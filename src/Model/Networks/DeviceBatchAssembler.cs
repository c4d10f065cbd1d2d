using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// Builds training batches on the device from a <see cref="DeviceClickMatrix"/>: the same <see cref="SparseBatch"/>
/// and latent noise as <see cref="SparseBatch.Create"/> and <see cref="GradientComputer.LatentNoise"/> compute on the
/// host, without a host synchronization. Per step the host sends one [3, B] int64 array (rows and two per-user hash
/// states) without waiting; the batch's size comes from host-known row lengths, so no device value is read back.
/// Dropped clicks stay in the input with weight 0 (the embedding bag adds exact zeros), which keeps the input's size
/// known to the host.
/// </summary>
public sealed class DeviceBatchAssembler : IDisposable
{
    private readonly DeviceCounterRandom _random;

    /// <summary>Uploads <paramref name="clicks"/> to <paramref name="device"/>.</summary>
    public DeviceBatchAssembler(ClickMatrix clicks, Device device)
    {
        Clicks = new DeviceClickMatrix(clicks, device);
        _random = new DeviceCounterRandom(device);
    }

    /// <summary>The uploaded matrix.</summary>
    public DeviceClickMatrix Clicks { get; }

    /// <summary>
    /// The batch of <paramref name="rows"/> (user keys: the rows, unless <paramref name="userKeys"/> gives one per row)
    /// with dropout from (seed, epoch, key), and, when <paramref name="latentDim"/> is positive, the latent noise
    /// ε [B, latentDim] from the same counters; a <paramref name="keptClickWeight"/> below 1 weighs the kept clicks as
    /// <see cref="SparseBatch.Create"/> does. Tensors belong to the caller's dispose scope.
    /// </summary>
    public (SparseBatch Batch, Tensor? Noise) Assemble(ReadOnlySpan<int> rows, double dropoutRate, ulong seed, long epoch, int latentDim,
        ReadOnlySpan<long> userKeys = default, double keptClickWeight = 1.0)
    {
        if (!userKeys.IsEmpty && userKeys.Length != rows.Length)
            throw new ArgumentException($"{userKeys.Length} user keys for {rows.Length} rows.", nameof(userKeys));
        var host = Clicks.Host;
        int b = rows.Length, items = host.ColumnCount;
        long total = 0;
        var packed = new long[3 * b];
        var keys = new long[b];
        for (int u = 0; u < b; u++)
        {
            int row = rows[u];
            total += host.RowLength(row);
            long key = userKeys.IsEmpty ? row : userKeys[u];
            keys[u] = key;
            packed[u] = row;
            packed[b + u] = (long)CounterRandom.UserHash(seed, CounterRandom.DropoutStream, (ulong)epoch, (ulong)key);
            packed[2 * b + u] = (long)CounterRandom.UserHash(seed, CounterRandom.NoiseStream, (ulong)epoch, (ulong)key);
        }
        var device = Clicks.Device;
        var sent = torch.tensor(packed, [3, b]).to(device, non_blocking: true);
        var rowIndex = sent[0];
        var lengths = Clicks.RowLengths.index_select(0, rowIndex);
        var starts = Clicks.RowStarts.index_select(0, rowIndex);
        var offsets = lengths.cumsum(0).sub_(lengths);
        // arange(stop) would pass implicit Scalars for its start and step.
        using var userCount = ((long)b).ToScalar();
        using var clickCount = ((long)total).ToScalar();
        var user = torch.arange(SafeTensorMath.ZeroInteger, userCount, SafeTensorMath.OneInteger, ScalarType.Int64, device)
            .repeat_interleave(lengths, output_size: total);
        var position = torch.arange(SafeTensorMath.ZeroInteger, clickCount, SafeTensorMath.OneInteger, ScalarType.Int64, device)
            .add_(starts.sub(offsets).index_select(0, user), SafeTensorMath.OneInteger);
        var itemIndex = Clicks.Columns.index_select(0, position);
        using var itemCount = ((long)items).ToScalar();
        var flat = user.mul(itemCount).add_(itemIndex, SafeTensorMath.OneInteger);
        // 1/√n in float64 then float32, as the host computes it; under dropout divided by keep in float64.
        var normalized = lengths.to(ScalarType.Float64).sqrt_().reciprocal_().to(ScalarType.Float32);
        Tensor weights;
        var counts = lengths.to(ScalarType.Float32);
        Tensor? clickWeights = null;
        if (dropoutRate > 0)
        {
            double keep = 1.0 - dropoutRate;
            using var keepScalar = keep.ToScalar();
            var scaled = normalized.to(ScalarType.Float64).div_(keepScalar).to(ScalarType.Float32);
            var hashes = _random.Mix(sent[1].index_select(0, user).bitwise_xor(itemIndex));
            var kept = _random.UniformBelow(hashes, keep);
            weights = DeviceCounterRandom.Where(kept, scaled.index_select(0, user));
            if (keptClickWeight != 1.0) (clickWeights, counts) = WeighKeptClicks(kept, user, lengths, b, keptClickWeight);
        }
        else
        {
            weights = normalized.index_select(0, user);
        }
        var noise = latentDim > 0 ? _random.Normal(sent[2], latentDim) : null;
        var batch = new SparseBatch(itemIndex, offsets, weights, flat, counts, b, items, keys, clickWeights);
        return (batch, noise);
    }

    /// <summary>
    /// Each click's likelihood weight (<paramref name="keptClickWeight"/> where <paramref name="kept"/>, else 1) and each
    /// user's weighted count, from exact integer counts in float64 as <see cref="SparseBatch.WeightedCount"/> does.
    /// </summary>
    private static (Tensor ClickWeights, Tensor Counts) WeighKeptClicks(Tensor kept, Tensor user, Tensor lengths, int b, double keptClickWeight)
    {
        double weight32 = (float)keptClickWeight;
        using var weightScalar = weight32.ToScalar();
        var clickWeights = torch.ones_like(kept, ScalarType.Float32).masked_fill_(kept, weightScalar);
        var keptPerUser = torch.zeros(b, ScalarType.Int64, kept.device).index_add_(0, user, kept.to(ScalarType.Int64), SafeTensorMath.OneInteger);
        var counts = lengths.sub(keptPerUser).to(ScalarType.Float64)
            .add_(keptPerUser.to(ScalarType.Float64).mul_(weightScalar), SafeTensorMath.One).to(ScalarType.Float32);
        return (clickWeights, counts);
    }

    /// <summary>Frees the device copy.</summary>
    public void Dispose()
    {
        Clicks.Dispose();
        _random.Dispose();
    }
}
