using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// Scores with a model file without loading its two item-sized layers (the first layer's rows [I, H₁], the output
/// layer's columns [H, I] and bias [I]): the model's small middle is loaded, and the item-sized layers are read from the
/// file one item range at a time, as an item shard holds them (<see cref="ItemShardedScorer"/>'s math: each range's
/// first-layer partial sums, the middle, then each range's logits with its top k, merged). Memory is the middle, one
/// range's rows or columns, a block of users' scores over one range, and the users' hidden layers and running top k,
/// whatever the catalog's size. Each call reads the item-sized layers from the file once, so callers pass many users
/// per call (<see cref="UsersPerRead"/>). The file's checksum is verified once, when it is opened.
/// <see cref="StreamedModelScorer"/> reads Mult-VAE / Mult-DAE files, <see cref="StreamedRecVaeScorer"/> RecVAE files.
/// </summary>
public abstract class StreamedItemScorer : ITopItemsScorer, IDisposable
{
    /// <summary>Bytes of one item range's rows, columns and bias read at a time, by default (256 MiB).</summary>
    public const long DefaultRangeBytes = 256L << 20;

    /// <summary>Users a caller should rank per call: each call reads the item-sized layers once.</summary>
    public const int UsersPerRead = 50_000;

    private readonly TensorFileSlices _file;
    private readonly ItemRange[] _ranges;
    private readonly string _firstWeight, _lastWeight, _lastBias;
    private readonly EmbeddingBag _bag;
    private readonly int _firstWidth;
    private readonly MatmulPrecision _precision;

    /// <summary>
    /// Reads the item-sized layers of <paramref name="file"/>: <paramref name="firstWeight"/> [I, firstWidth],
    /// <paramref name="lastWeight"/> [lastWidth, I] and <paramref name="lastBias"/> [I], about <paramref name="rangeBytes"/>
    /// of them at a time; the output layer's products run at <paramref name="precision"/>.
    /// </summary>
    /// <exception cref="CheckpointFormatException">An item-sized layer is missing or has another shape.</exception>
    private protected StreamedItemScorer(TensorFileSlices file, IReadOnlyList<string> itemIds, string firstWeight, int firstWidth,
        string lastWeight, string lastBias, int lastWidth, long rangeBytes, MatmulPrecision precision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeBytes, 1L);
        int items = itemIds.Count;
        if (!file.ShapeOf(firstWeight).SequenceEqual([items, firstWidth]) || !file.ShapeOf(lastWeight).SequenceEqual([lastWidth, items])
            || !file.ShapeOf(lastBias).SequenceEqual([items]))
            throw new CheckpointFormatException(file.Path, "an item-sized layer has the wrong shape.");
        _file = file;
        ItemIds = itemIds;
        (_firstWeight, _lastWeight, _lastBias, _firstWidth, _precision) = (firstWeight, lastWeight, lastBias, firstWidth, precision);
        long bytesPerItem = (firstWidth + lastWidth + 1L) * sizeof(float);
        int ranges = (int)Math.Clamp((items * bytesPerItem + rangeBytes - 1) / rangeBytes, 1, items);
        _ranges = ItemRange.Split(items, ranges);
        // A one-row placeholder: each range's rows become its weight in turn.
        _bag = nn.EmbeddingBag(1, firstWidth, mode: EmbeddingBagMode.Sum);
        _bag.weight?.Dispose();
    }

    /// <summary>The item index: item number → id.</summary>
    public IReadOnlyList<string> ItemIds { get; }

    /// <inheritdoc />
    public int ItemCount => ItemIds.Count;

    /// <summary>How many item ranges a call reads the item-sized layers in.</summary>
    public int RangeCount => _ranges.Length;

    /// <summary>Users whose logits over one item range are formed at once (their [users × range] scores are the largest tensor).</summary>
    public int UsersPerBlock { get; set; } = 512;

    /// <summary>
    /// Opens the model file <paramref name="path"/> for scoring in place: a RecVAE file (<see cref="StreamedRecVaeScorer"/>)
    /// or a Mult-VAE / Mult-DAE file (<see cref="StreamedModelScorer"/>), told apart by its header.
    /// </summary>
    public static StreamedItemScorer Open(string path, long rangeBytes = DefaultRangeBytes) =>
        TensorFile.PeekFormat(path) == RecVaeModelFile.Format ? StreamedRecVaeScorer.Open(path, rangeBytes) : StreamedModelScorer.Open(path, rangeBytes);

    /// <summary>Whether <paramref name="path"/>'s model can be scored in item ranges: a RecVAE, or a Mult-VAE / Mult-DAE without the item-item term.</summary>
    public static bool CanStream(string path)
    {
        try
        {
            return TensorFile.PeekFormat(path) == RecVaeModelFile.Format || StreamedModelScorer.CanStream(path);
        }
        catch (CheckpointFormatException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the item-sized layers once per call, whatever <paramref name="count"/>: the first layer's rows range by
    /// range for every user's partial sums, then the output layer's columns range by range, each range's logits formed
    /// <see cref="UsersPerBlock"/> users at a time and merged into every user's running top k. So a caller ranking many
    /// users should pass many at once (<see cref="UsersPerRead"/>).
    /// </remarks>
    public long[] TopItems(ClickMatrix foldIn, int start, int count, int k)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var blocks = Enumerable.Range(0, (count + UsersPerBlock - 1) / UsersPerBlock)
            .Select(b => (Start: start + b * UsersPerBlock, Count: Math.Min(UsersPerBlock, count - b * UsersPerBlock))).ToArray();
        var parts = blocks.Select(b => ItemShardBatch.Split(SparseBatch.ForScoring(foldIn, b.Start, b.Count, CPU), _ranges)).ToArray();
        var hidden = Hidden(parts);
        var best = new (Tensor Scores, Tensor Items)?[blocks.Length];
        foreach (var range in _ranges.Select((r, s) => (r, s)))
        {
            using var columns = _file.Columns(_lastWeight, range.r.Start, range.r.Count);
            using var bias = _file.Range(_lastBias, range.r.Start, range.r.Count);
            for (int b = 0; b < blocks.Length; b++)
            {
                // Only each block's running top k outlives the step: with 50,000 users and a million items the
                // candidates and merges of every (range, block) would otherwise pile up to gigabytes in the call's scope.
                using var step = NewDisposeScope();
                var logits = MiddleLayers.Dense(hidden[b], columns, bias, _precision);
                var candidates = TopItemCandidates.OfRange(logits, parts[b][range.s].ClickFlatIndices, range.r.Start, k);
                (Tensor Scores, Tensor Items) merged = best[b] is not { } kept ? candidates
                    : TopItemCandidates.MergeRanges([kept.Scores, candidates.Scores], [kept.Items, candidates.Items],
                        Math.Min(k, (int)(kept.Scores.shape[1] + candidates.Scores.shape[1])));
                step.MoveToOuter(merged.Scores, merged.Items);
                if (best[b] is { } previous)
                {
                    previous.Scores.Dispose();
                    previous.Items.Dispose();
                }
                best[b] = merged;
            }
        }
        var top = new long[(long)count * k];
        for (int b = 0; b < blocks.Length; b++)
        {
            var (scores, items) = best[b]!.Value;
            var ranked = TopItemCandidates.Merge([scores], [items], k, $"users [{blocks[b].Start}, {blocks[b].Start + blocks[b].Count})");
            ranked.CopyTo(top, (long)(blocks[b].Start - start) * k);
        }
        return top;
    }

    /// <inheritdoc />
    /// <remarks>Builds the whole [count × items] score matrix: for small catalogs and tools that need every score.</remarks>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hidden = Hidden([ItemShardBatch.Split(SparseBatch.ForScoring(foldIn, start, count, CPU), _ranges)])[0];
        return scope.MoveToOuter(cat(_ranges.Select(r => Logits(hidden, r)).ToArray(), 1));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _bag.Dispose();
        DisposeMiddle();
        _file.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The output layer's input [B, H] from the first layer's summed rows [B, H₁] (without its bias), by the loaded middle; called without gradients.</summary>
    private protected abstract Tensor HiddenOf(Tensor firstLayerSum);

    /// <summary>Frees the loaded middle.</summary>
    private protected abstract void DisposeMiddle();

    /// <summary>The output layer's input [users, H] of each block of users, the first layer's rows read once, range by range.</summary>
    private Tensor[] Hidden(ItemShardBatch[][] parts)
    {
        var sums = new Tensor?[parts.Length];
        for (int s = 0; s < _ranges.Length; s++)
        {
            using var rows = _file.Rows(_firstWeight, _ranges[s].Start, _ranges[s].Count);
            using var weight = new Parameter(rows.detach(), requires_grad: false);
            _bag.weight = weight;
            for (int b = 0; b < parts.Length; b++)
            {
                var partial = _bag.forward(parts[b][s].InputItems, parts[b][s].InputOffsets, parts[b][s].InputWeights);
                if (sums[b] is not { } sum)
                {
                    sums[b] = partial;
                    continue;
                }
                sum.add_(partial);
                partial.Dispose();
            }
        }
        // The bag would hold the last range's rows until the next call: give it a one-row placeholder instead.
        using (var placeholder = new Parameter(zeros(1, _firstWidth), requires_grad: false)) _bag.weight = placeholder;
        return sums.Select(sum => HiddenOf(sum!)).ToArray();
    }

    /// <summary>The logits [count, range] of one item range, its columns and bias read from the file.</summary>
    private Tensor Logits(Tensor hidden, ItemRange range)
    {
        using var columns = _file.Columns(_lastWeight, range.Start, range.Count);
        using var bias = _file.Range(_lastBias, range.Start, range.Count);
        return MiddleLayers.Dense(hidden, columns, bias, _precision);
    }
}
