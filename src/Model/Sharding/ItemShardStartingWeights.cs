using TorchSharp;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// The starting weights of an item-sharded model, exactly those <see cref="AutoencoderNetwork"/> draws from the seed,
/// without ever building the whole network: the seed's random stream is walked in the network's drawing order, the
/// item-sized layers a block of rows at a time (uniform draws take one number per element, in order, so a block drawn
/// after the blocks before it holds the same values as the whole layer's rows), keeping only what is asked for: one
/// item range's first-layer rows, output columns and output bias, or the small middle. Memory: what is kept plus one
/// block (<see cref="DefaultBlockElements"/>); time: one walk over the model's parameters.
/// </summary>
public static class ItemShardStartingWeights
{
    /// <summary>Elements drawn at a time in an item-sized layer (64 MiB of float32).</summary>
    public const long DefaultBlockElements = 16L << 20;

    /// <summary>
    /// Range <paramref name="range"/>'s starting rows [count, H₁], columns [H, count] and output bias [count], on the host
    /// (as <see cref="ItemShardSlices.Of"/> takes them from a whole network); the caller disposes them.
    /// </summary>
    public static Tensor[] Range(AutoencoderConfig config, long seed, ItemRange range, long blockElements = DefaultBlockElements)
    {
        if (range.Start < 0 || range.End > config.ItemCount || range.Count < 1)
            throw new ArgumentOutOfRangeException(nameof(range), $"Items [{range.Start}, {range.End}) are not inside the model's {config.ItemCount}.");
        return Walk(config, seed, range, blockElements).Range!;
    }

    /// <summary>
    /// The middle's starting parameters in parameter order (the first layer's bias, then the inner layers, weight before
    /// bias: a whole network's parameters without the first and the last two), on the host; the caller disposes them.
    /// </summary>
    public static Tensor[] Middle(AutoencoderConfig config, long seed, long blockElements = DefaultBlockElements) =>
        Walk(config, seed, null, blockElements).Middle;

    private static (Tensor[] Middle, Tensor[]? Range) Walk(AutoencoderConfig config, long seed, ItemRange? range, long blockElements)
    {
        config.Validate();
        if (blockElements < 1) throw new ArgumentOutOfRangeException(nameof(blockElements), blockElements, "Blocks hold at least one element.");
        var layers = AutoencoderNetwork.LayerShapes(config);
        var middle = new List<Tensor>();
        Tensor? rows = null, columns = null, bias = null;
        using var generator = new Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        try
        {
            for (int l = 0; l < layers.Count; l++)
            {
                // Every tensor drawn for a layer goes with the layer's scope unless kept: the draws' intermediate handles
                // would otherwise hold their 64 MiB blocks until a finalizer ran (0.9 GiB more per silo at 155,648 items).
                using var scope = torch.NewDisposeScope();
                var (_, inDim, outDim) = layers[l];
                bool first = l == 0, last = l == layers.Count - 1;
                if (first)
                    rows = DrawFirstLayer(inDim, outDim, generator, range, blockElements)?.DetachFromDisposeScope();
                else if (last)
                    columns = DrawLastLayer(inDim, outDim, generator, range, blockElements)?.DetachFromDisposeScope();
                else if (range is null)
                    middle.Add(AutoencoderNetwork.DrawWeightRows(inDim, inDim, outDim, generator).DetachFromDisposeScope());
                else
                    AutoencoderNetwork.DrawWeightRows(inDim, inDim, outDim, generator);

                var drawn = AutoencoderNetwork.DrawBias(outDim, generator);
                if (last && range is { } r) bias = drawn.narrow(0, r.Start, r.Count).clone().DetachFromDisposeScope();
                else if (!last && range is null) middle.Add(drawn.DetachFromDisposeScope());
            }
            return (middle.ToArray(), range is null ? null : [rows!, columns!, bias!]);
        }
        catch
        {
            foreach (var t in middle.Concat(new[] { rows, columns, bias }.OfType<Tensor>())) t.Dispose();
            throw;
        }
    }

    /// <summary>The first layer [I, H₁] drawn in blocks of rows; the range's rows kept (null when no range is asked for).</summary>
    private static Tensor? DrawFirstLayer(int items, int width, Generator generator, ItemRange? range, long blockElements)
    {
        var kept = range is { } r ? torch.empty([r.Count, width]) : null;
        long blockRows = Math.Max(1, blockElements / width);
        for (long start = 0; start < items; start += blockRows)
        {
            long count = Math.Min(blockRows, items - start);
            using var scope = torch.NewDisposeScope();
            var block = AutoencoderNetwork.DrawWeightRows(count, items, width, generator);
            if (range is not { } want) continue;
            long from = Math.Max(start, want.Start), to = Math.Min(start + count, want.End);
            if (from < to) kept!.narrow(0, from - want.Start, to - from).copy_(block.narrow(0, from - start, to - from));
        }
        return kept;
    }

    /// <summary>The output layer [H, I] drawn in blocks of rows; the range's columns kept (null when no range is asked for).</summary>
    private static Tensor? DrawLastLayer(int width, int items, Generator generator, ItemRange? range, long blockElements)
    {
        var kept = range is { } r ? torch.empty([width, r.Count]) : null;
        long blockRows = Math.Max(1, blockElements / items);
        for (long start = 0; start < width; start += blockRows)
        {
            long count = Math.Min(blockRows, width - start);
            using var scope = torch.NewDisposeScope();
            var block = AutoencoderNetwork.DrawWeightRows(count, width, items, generator);
            if (range is { } want) kept!.narrow(0, start, count).copy_(block.narrow(1, want.Start, want.Count));
        }
        return kept;
    }
}
