using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// Puts an item-sharded model's single-process model file (<see cref="ModelFile"/>) together from its middle and its
/// item ranges' parameters, one range in memory at a time: each range's rows, columns (row by row of the output layer)
/// and bias go straight to their places in the file. Never builds the whole network.
/// </summary>
public static class ItemShardedModelFile
{
    /// <summary>
    /// Writes <paramref name="path"/> from <paramref name="middle"/> (the middle's parameters, in parameter order) and
    /// each range's rows [count, H₁], columns [H, count] and bias [count], as <paramref name="readRange"/> gives them
    /// (disposed here once written).
    /// </summary>
    public static void Write(string path, AutoencoderConfig config, IReadOnlyList<string> itemIds, ModelSummary summary,
        IReadOnlyList<Tensor> middle, IReadOnlyList<ItemRange> ranges, Func<int, Tensor[]> readRange)
    {
        int items = config.ItemCount;
        int tensors = 2 * AutoencoderNetwork.LayerShapes(config).Count, output = tensors - 2, bias = tensors - 1;
        if (middle.Count != tensors - 3) throw new ArgumentException($"The middle has {middle.Count} tensors; the model needs {tensors - 3}.", nameof(middle));
        if (ranges.Sum(r => (long)r.Count) != items) throw new ArgumentException($"The ranges hold {ranges.Sum(r => (long)r.Count)} items; the model has {items}.", nameof(ranges));
        ModelFile.Save(path, config, itemIds, summary, file =>
        {
            for (int i = 0; i < middle.Count; i++) file.Put(1 + i, 0, middle[i]);
            for (int s = 0; s < ranges.Count; s++)
            {
                var range = ranges[s];
                var parts = readRange(s);
                try
                {
                    var (rows, columns, outputBias) = (parts[0], parts[1], parts[2]);
                    long width = rows.shape[1];
                    file.Put(0, range.Start * width, rows);
                    for (long h = 0; h < columns.shape[0]; h++)
                    {
                        using var row = columns[h];
                        file.Put(output, h * items + range.Start, row);
                    }
                    file.Put(bias, range.Start, outputBias);
                }
                finally
                {
                    foreach (var t in parts) t.Dispose();
                }
            }
        });
    }
}
