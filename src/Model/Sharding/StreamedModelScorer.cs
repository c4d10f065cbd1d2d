using TorchSharp.Modules;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// A Mult-VAE / Mult-DAE model file (<see cref="ModelFile"/>) scored in place (<see cref="StreamedItemScorer"/>): the
/// first layer's bias and the inner layers are loaded; the first layer's rows and the output layer's columns and bias
/// are read one item range at a time. A model with the item-item term is refused.
/// </summary>
public sealed class StreamedModelScorer : StreamedItemScorer
{
    private readonly Parameter _firstBias;
    private readonly (Parameter Weight, Parameter Bias)[] _encoderAfterFirst, _decoderBeforeLast;

    private StreamedModelScorer(TensorFileSlices file, ModelFile.ModelHeader header, Parameter[] middle, long rangeBytes)
        : base(file, header.ItemIds, FirstWeight(header.Config), ItemShard.ItemSizedLayerWidths(header.Config).First,
            LastLayer(header.Config) + ".weight", LastLayer(header.Config) + ".bias", ItemShard.ItemSizedLayerWidths(header.Config).Last,
            rangeBytes, MatmulPrecision.Fp32)
    {
        Config = header.Config;
        Summary = header.Summary;
        _firstBias = middle[0];
        var layers = middle.Skip(1).Chunk(2).Select(pair => (pair[0], pair[1])).ToArray();
        int encoderRest = Config.EncoderDims.Length - 2;
        _encoderAfterFirst = layers.Take(encoderRest).ToArray();
        _decoderBeforeLast = layers.Skip(encoderRest).ToArray();
    }

    /// <summary>The model's architecture.</summary>
    public AutoencoderConfig Config { get; }

    /// <summary>The model's training summary.</summary>
    public ModelSummary Summary { get; }

    /// <summary>
    /// Opens the model file <paramref name="path"/> (written by <see cref="ModelFile"/>), verifying its checksum and
    /// loading its middle layers; reads at most about <paramref name="rangeBytes"/> of the item-sized layers at a time.
    /// A model with the item-item term is refused (its item-sized term is not read in ranges).
    /// </summary>
    public static new StreamedModelScorer Open(string path, long rangeBytes = DefaultRangeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeBytes, 1L);
        var header = ModelFile.ReadHeader(path, TensorFile.PeekHeader(path));
        var config = header.Config;
        if (config.ItemNeighbours > 0)
            throw new CheckpointFormatException(path, "has the item-item term, whose item-sized weights are not read in item ranges; load the model whole.");
        var slices = TensorFileSlices.Open(path);
        var kept = new Dictionary<string, Tensor>();
        Parameter[]? middle = null;
        try
        {
            ModelFile.RequireSettingsFit(path, config, slices.StoredElements);
            var layers = AutoencoderNetwork.LayerShapes(config);
            var middleNames = new[] { $"param/{layers[0].Name}.bias" }
                .Concat(layers.Skip(1).SkipLast(1).SelectMany(l => new[] { $"param/{l.Name}.weight", $"param/{l.Name}.bias" })).ToArray();
            // One pass over the whole file checks its checksum and keeps only the middle; the item-sized layers stay on disk.
            (_, kept) = TensorFile.Read(path, middleNames.Contains);
            var tensors = middleNames.Select(name => kept.TryGetValue(name, out var t) ? t
                : throw new CheckpointFormatException(path, $"tensor '{name}' is missing.")).ToArray();
            var expected = new[] { (long[])[layers[0].Out] }
                .Concat(layers.Skip(1).SkipLast(1).SelectMany(l => new[] { (long[])[l.In, l.Out], [l.Out] })).ToArray();
            for (int i = 0; i < tensors.Length; i++)
                if (!tensors[i].shape.SequenceEqual(expected[i]))
                    throw new CheckpointFormatException(path, $"tensor '{middleNames[i]}' has the wrong shape.");
            middle = tensors.Select(t => new Parameter(t, requires_grad: false)).ToArray();
            return new StreamedModelScorer(slices, header, middle, rangeBytes);
        }
        catch
        {
            slices.Dispose();
            foreach (var p in middle ?? []) p.Dispose();
            foreach (var t in kept.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="path"/>'s model can be scored in item ranges (a Mult-VAE or Mult-DAE file without the item-item term).</summary>
    public static new bool CanStream(string path)
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
    private protected override Tensor HiddenOf(Tensor firstLayerSum) =>
        MiddleLayers.Forward(firstLayerSum.Plus(_firstBias), _encoderAfterFirst, _decoderBeforeLast, Config, null, MatmulPrecision.Fp32).LastHidden;

    /// <inheritdoc />
    private protected override void DisposeMiddle()
    {
        _firstBias.Dispose();
        foreach (var (weight, bias) in _encoderAfterFirst.Concat(_decoderBeforeLast))
        {
            weight.Dispose();
            bias.Dispose();
        }
    }

    private static string FirstWeight(AutoencoderConfig config) => $"param/{AutoencoderNetwork.LayerShapes(config)[0].Name}.weight";

    private static string LastLayer(AutoencoderConfig config) => $"param/{AutoencoderNetwork.LayerShapes(config)[^1].Name}";
}
