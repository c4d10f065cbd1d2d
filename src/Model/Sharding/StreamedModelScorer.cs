using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// Scores with a Mult-VAE / Mult-DAE model file without loading its two item-sized layers: the middle layers are
/// loaded, and the first layer's rows and the output layer's columns and bias are read from the file one item range
/// at a time, as an item shard holds them (<see cref="ItemShardedScorer"/>'s math: each range's first-layer partial
/// sums, the middle, then each range's logits with its top k, merged). Memory is the middle, one range's rows or
/// columns, a block of users' scores over one range, and the users' hidden layers and running top k, whatever the
/// catalog's size. Each call reads the item-sized layers from the file once, so callers pass many users per call
/// (<see cref="UsersPerRead"/>). The file's checksum is verified once, when it is opened.
/// </summary>
public sealed class StreamedModelScorer : ITopItemsScorer, IDisposable
{
    /// <summary>Bytes of one item range's rows, columns and bias read at a time, by default (256 MiB).</summary>
    public const long DefaultRangeBytes = 256L << 20;

    private readonly TensorFileSlices _file;
    private readonly ItemShardedMiddle _middle;
    private readonly ItemRange[] _ranges;
    private readonly string _firstWeight, _lastWeight, _lastBias;
    private readonly EmbeddingBag _bag;
    private readonly int _bagWidth;

    private StreamedModelScorer(TensorFileSlices file, AutoencoderConfig config, IReadOnlyList<string> itemIds, ModelSummary summary,
        ItemShardedMiddle middle, long rangeBytes)
    {
        _file = file;
        _middle = middle;
        Config = config;
        ItemIds = itemIds;
        Summary = summary;
        var layers = AutoencoderNetwork.LayerShapes(config);
        _firstWeight = $"param/{layers[0].Name}.weight";
        _lastWeight = $"param/{layers[^1].Name}.weight";
        _lastBias = $"param/{layers[^1].Name}.bias";
        var (first, last) = ItemShard.ItemSizedLayerWidths(config);
        long bytesPerItem = (first + last + 1L) * sizeof(float);
        int ranges = (int)Math.Clamp((config.ItemCount * bytesPerItem + rangeBytes - 1) / rangeBytes, 1, config.ItemCount);
        _ranges = ItemRange.Split(config.ItemCount, ranges);
        // A one-row placeholder: each range's rows become its weight in turn.
        _bagWidth = first;
        _bag = nn.EmbeddingBag(1, first, mode: EmbeddingBagMode.Sum);
        _bag.weight?.Dispose();
    }

    /// <summary>The model's architecture.</summary>
    public AutoencoderConfig Config { get; }

    /// <summary>The item index: item number → id.</summary>
    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>The model's training summary.</summary>
    public ModelSummary Summary { get; }

    /// <summary>How many item ranges a batch reads the item-sized layers in.</summary>
    public int RangeCount => _ranges.Length;

    /// <inheritdoc />
    public int ItemCount => Config.ItemCount;

    /// <summary>
    /// Opens the model file <paramref name="path"/> (written by <see cref="ModelFile"/>), verifying its checksum and
    /// loading its middle layers; reads at most about <paramref name="rangeBytes"/> of the item-sized layers at a time.
    /// A model with the item-item term is refused (its item-sized term is not read in ranges).
    /// </summary>
    public static StreamedModelScorer Open(string path, long rangeBytes = DefaultRangeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeBytes, 1L);
        var header = ModelFile.ReadHeader(path, TensorFile.PeekHeader(path));
        var config = header.Config;
        if (config.ItemNeighbours > 0)
            throw new CheckpointFormatException(path, "has the item-item term, whose item-sized weights are not read in item ranges; load the model whole.");
        var slices = TensorFileSlices.Open(path);
        var kept = new Dictionary<string, Tensor>();
        var adopted = false;
        try
        {
            ModelFile.RequireSettingsFit(path, config, slices.StoredElements);
            var layers = AutoencoderNetwork.LayerShapes(config);
            var middleNames = new[] { $"param/{layers[0].Name}.bias" }
                .Concat(layers.Skip(1).SkipLast(1).SelectMany(l => new[] { $"param/{l.Name}.weight", $"param/{l.Name}.bias" })).ToArray();
            // One pass over the whole file checks its checksum and keeps only the middle; the item-sized layers stay on disk.
            (_, kept) = TensorFile.Read(path, middleNames.Contains);
            var middle = middleNames.Select(name => kept.TryGetValue(name, out var t) ? t
                : throw new CheckpointFormatException(path, $"tensor '{name}' is missing.")).ToArray();
            var expected = new[] { (long[])[layers[0].Out] }
                .Concat(layers.Skip(1).SkipLast(1).SelectMany(l => new[] { (long[])[l.In, l.Out], [l.Out] })).ToArray();
            for (int i = 0; i < middle.Length; i++)
                if (!middle[i].shape.SequenceEqual(expected[i]))
                    throw new CheckpointFormatException(path, $"tensor '{middleNames[i]}' has the wrong shape.");
            var (first, last) = ItemShard.ItemSizedLayerWidths(config);
            if (!slices.ShapeOf($"param/{layers[0].Name}.weight").SequenceEqual([config.ItemCount, first])
                || !slices.ShapeOf($"param/{layers[^1].Name}.weight").SequenceEqual([last, config.ItemCount])
                || !slices.ShapeOf($"param/{layers[^1].Name}.bias").SequenceEqual([config.ItemCount]))
                throw new CheckpointFormatException(path, "an item-sized layer has the wrong shape.");
            // The middle ranks the same under every likelihood (scores are the decoder's output); the sharded middle
            // accepts the multinomial's settings only, so it is given those.
            var scoringMiddle = ItemShardedMiddle.Of(config with { Likelihood = Likelihood.Multinomial }, middle, new AdamOptions(), MatmulPrecision.Fp32);
            adopted = true;
            return new StreamedModelScorer(slices, config, header.ItemIds, header.Summary, scoringMiddle, rangeBytes);
        }
        catch
        {
            slices.Dispose();
            if (!adopted) foreach (var t in kept.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="path"/>'s model can be scored in item ranges (a Mult-VAE or Mult-DAE file without the item-item term).</summary>
    public static bool CanStream(string path)
    {
        try
        {
            return ModelFile.ReadHeader(path, TensorFile.PeekHeader(path)).Config.ItemNeighbours == 0;
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
                var logits = MiddleLayers.Dense(hidden[b], columns, bias, _middle.Precision);
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

    /// <summary>Users whose logits over one item range are formed at once (their [users × range] scores are the largest tensor).</summary>
    public int UsersPerBlock { get; set; } = 512;

    /// <summary>Users a caller should rank per call: each call reads the item-sized layers once.</summary>
    public const int UsersPerRead = 50_000;

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
        _middle.Dispose();
        _file.Dispose();
    }

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
        using (var placeholder = new Parameter(zeros(1, _bagWidth), requires_grad: false)) _bag.weight = placeholder;
        return sums.Select(sum => _middle.ScoringHidden(sum!)).ToArray();
    }

    /// <summary>The logits [count, range] of one item range, its columns and bias read from the file.</summary>
    private Tensor Logits(Tensor hidden, ItemRange range)
    {
        using var noGrad = no_grad();
        using var columns = _file.Columns(_lastWeight, range.Start, range.Count);
        using var bias = _file.Range(_lastBias, range.Start, range.Count);
        return MiddleLayers.Dense(hidden, columns, bias, _middle.Precision);
    }
}
