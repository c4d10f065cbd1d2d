using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.RecVae;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// A RecVAE model file (<see cref="RecVaeModelFile"/>) scored in place (<see cref="StreamedItemScorer"/>): the encoder
/// without its first layer's rows is loaded (its dense layers, layer norms and (μ, log σ²) layer); the first layer's
/// rows and the decoder's columns and bias are read one item range at a time. Scores are f(μ(x)), as
/// <see cref="RecVaeNetwork"/> scores, with the model's precision.
/// </summary>
public sealed class StreamedRecVaeScorer : StreamedItemScorer
{
    private readonly RecVaeEncoder _encoder;

    private StreamedRecVaeScorer(TensorFileSlices file, RecVaeModelFile.Header header, RecVaeEncoder encoder, int encoderTensors, long rangeBytes)
        : base(file, header.ItemIds, "param/0", header.Options.Hidden, $"param/{encoderTensors}", $"param/{encoderTensors + 1}",
            header.Options.Latent, rangeBytes, header.Options.Precision)
    {
        Options = header.Options;
        _encoder = encoder;
    }

    /// <summary>The model's settings.</summary>
    public RecVaeOptions Options { get; }

    /// <summary>
    /// Opens the RecVAE model file <paramref name="path"/>, verifying its checksum and loading its encoder but for the
    /// first layer's rows; reads at most about <paramref name="rangeBytes"/> of the item-sized layers at a time.
    /// </summary>
    public static new StreamedRecVaeScorer Open(string path, long rangeBytes = DefaultRangeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeBytes, 1L);
        var header = RecVaeModelFile.ReadHeader(path, TensorFile.PeekHeader(path));
        var slices = TensorFileSlices.Open(path);
        var kept = new Dictionary<string, Tensor>();
        RecVaeEncoder? encoder = null;
        try
        {
            RecVaeModelFile.RequireSettingsFit(path, header, slices.StoredElements);
            // An encoder of one item: its first layer's rows are a one-row placeholder; the rest is the model's.
            using (var generator = new Generator(0)) encoder = new RecVaeEncoder(1, header.Options, generator);
            var parameters = encoder.Parameters;
            var names = Enumerable.Range(1, parameters.Count - 1).Select(i => $"param/{i}").ToArray();
            // One pass over the whole file checks its checksum and keeps only these; the item-sized layers stay on disk.
            (_, kept) = TensorFile.Read(path, names.Contains);
            using (no_grad())
                for (int i = 1; i < parameters.Count; i++)
                {
                    if (!kept.TryGetValue($"param/{i}", out var t) || !t.shape.SequenceEqual(parameters[i].shape))
                        throw new CheckpointFormatException(path, $"tensor 'param/{i}' is missing or has the wrong shape.");
                    parameters[i].copy_(t);
                }
            return new StreamedRecVaeScorer(slices, header, encoder, parameters.Count, rangeBytes);
        }
        catch
        {
            slices.Dispose();
            encoder?.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in kept.Values) t.Dispose();
        }
    }

    /// <inheritdoc />
    private protected override Tensor HiddenOf(Tensor firstLayerSum) => _encoder.FromFirstLayerSum(firstLayerSum).Mean;

    /// <inheritdoc />
    private protected override void DisposeMiddle() => _encoder.Dispose();
}
