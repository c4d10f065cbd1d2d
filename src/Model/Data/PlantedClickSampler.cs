using System.Numerics;
using System.Runtime.InteropServices;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Draws one user's clicks for <see cref="SyntheticDataGenerator"/>: n distinct items, one after another, each with
/// probability proportional to its weight among the items not yet drawn (successive sampling without replacement,
/// the law of <c>torch.multinomial(w, n, replacement: false)</c>). Weights are grouped in blocks of
/// <see cref="BlockSize"/> items whose sums sit in a Fenwick tree, so a draw costs O(log blocks + block size) and
/// removing the drawn item is an O(log blocks) update. Holds per-thread buffers.
/// </summary>
internal sealed class PlantedClickSampler
{
    /// <summary>Items per block of the two-level inverse-CDF search.</summary>
    internal const int BlockSize = 64;
    private readonly int _itemCount;
    private readonly int _blockCount;
    private readonly double[] _tree;     // 1-based Fenwick tree of block sums
    private readonly int _topStep;

    public PlantedClickSampler(int itemCount, int paddedItemCount)
    {
        _itemCount = itemCount;
        _blockCount = paddedItemCount / BlockSize;
        _tree = new double[_blockCount + 1];
        _topStep = (int)BitOperations.RoundUpToPowerOf2((uint)_blockCount + 1) >> 1;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with distinct items, sorted ascending. <paramref name="weights"/> holds the
    /// user's padded, unnormalized weights and is consumed: drawn items are set to 0.
    /// </summary>
    public void Sample(Span<float> weights, DeterministicRandom random, Span<int> destination)
    {
        BuildTree(weights);
        int found = 0, misses = 0;
        while (found < destination.Length)
        {
            double total = Prefix(_blockCount);
            int item = total > 0 && misses < 64 ? Draw(weights, random.NextDouble() * total) : -1;
            if (item < 0)
            {
                // Rounding drift or weights that underflowed to 0: fall back to a uniform choice among the rest.
                if (++misses < 64 && total > 0) continue;
                item = UniformUntaken(weights, random, destination[..found]);
            }
            Remove(weights, item);
            destination[found++] = item;
        }
        destination.Sort();
    }

    private void BuildTree(ReadOnlySpan<float> weights)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(weights);
        int perBlock = BlockSize / Vector<float>.Count;
        for (int b = 0; b < _blockCount; b++)
        {
            var sum = Vector<float>.Zero;
            foreach (var v in vectors.Slice(b * perBlock, perBlock)) sum += v;
            _tree[b + 1] = Vector.Sum(sum);
        }
        for (int i = 1; i <= _blockCount; i++)
        {
            int parent = i + (i & -i);
            if (parent <= _blockCount) _tree[parent] += _tree[i];
        }
    }

    /// <summary>The item whose cumulative weight first exceeds <paramref name="r"/>, or -1 when rounding lands on nothing.</summary>
    private int Draw(ReadOnlySpan<float> weights, double r)
    {
        int position = 0;
        for (int step = _topStep; step > 0; step >>= 1)
        {
            int next = position + step;
            if (next <= _blockCount && _tree[next] <= r)
            {
                position = next;
                r -= _tree[next];
            }
        }
        if (position >= _blockCount) return -1;
        int start = position * BlockSize, lastPositive = -1;
        double sum = 0;
        for (int item = start; item < start + BlockSize && item < _itemCount; item++)
        {
            if (weights[item] <= 0) continue;
            lastPositive = item;
            sum += weights[item];
            if (sum > r) return item;
        }
        return lastPositive;
    }

    private void Remove(Span<float> weights, int item)
    {
        double weight = weights[item];
        weights[item] = 0;
        if (weight == 0) return;
        for (int i = item / BlockSize + 1; i <= _blockCount; i += i & -i) _tree[i] -= weight;
    }

    private double Prefix(int blocks)
    {
        double sum = 0;
        for (int i = blocks; i > 0; i -= i & -i) sum += _tree[i];
        return sum;
    }

    private int UniformUntaken(ReadOnlySpan<float> weights, DeterministicRandom random, ReadOnlySpan<int> taken)
    {
        while (true)
        {
            int item = random.NextInt(_itemCount);
            if (weights[item] > 0 || !taken.Contains(item)) return item;
        }
    }
}
