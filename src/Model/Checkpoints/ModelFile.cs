using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// A trained model for inference: config, item index, a short training summary and the weights, in one
/// self-checking file. Load gives a ready network whose output columns are <see cref="LoadedModel.ItemIds"/>.
/// </summary>
public static class ModelFile
{
    /// <summary>The "Format" a Mult-VAE or Mult-DAE model file's header names.</summary>
    public const string Format = "vaecf-model/1";

    /// <summary>Writes the model atomically.</summary>
    public static void Save(string path, AutoencoderNetwork network, IReadOnlyList<string> itemIds, ModelSummary summary)
    {
        var header = new ModelHeader(Format, network.Config, itemIds.ToArray(), summary);
        var tensors = network.OrderedParameters.Select(p => ($"param/{p.Name}", (Tensor)p.Tensor)).ToList();
        using var scope = torch.NewDisposeScope();
        if (network.Config.ItemNeighbours > 0)
        {
            var targets = network.NeighbourTargets ?? throw new InvalidOperationException("The network's neighbour targets are not set.");
            // float32 holds every integer below 2^24 exactly; the config refuses larger catalogs with the term.
            tensors.Add((NeighbourTargetsName, targets.to(ScalarType.Float32)));
        }
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header), tensors);
    }

    /// <summary>
    /// Writes a model of <paramref name="config"/> without holding its network: <paramref name="fill"/> puts each
    /// parameter's values, region by region, into tensor k of <see cref="AutoencoderNetwork.OrderedParameters"/>' order
    /// (the same file <see cref="Save(string, AutoencoderNetwork, IReadOnlyList{string}, ModelSummary)"/> writes).
    /// </summary>
    public static void Save(string path, AutoencoderConfig config, IReadOnlyList<string> itemIds, ModelSummary summary, Action<TensorFileRegions> fill)
    {
        if (config.ItemNeighbours > 0)
            throw new ArgumentException("A model with an item-item term is written from its network, not region by region.", nameof(config));
        var header = new ModelHeader(Format, config, itemIds.ToArray(), summary);
        var tensors = AutoencoderNetwork.LayerShapes(config)
            .SelectMany(l => new[] { ($"param/{l.Name}.weight", new long[] { l.In, l.Out }), ($"param/{l.Name}.bias", new long[] { l.Out }) }).ToArray();
        TensorFileRegions.Write(path, JsonSerializer.SerializeToElement(header), tensors, fill);
    }

    /// <summary>Loads a model, refusing corrupted files and files of another kind.</summary>
    public static LoadedModel Load(string path)
    {
        var (headerElement, tensors) = TensorFile.Read(path);
        try
        {
            var header = ReadHeader(path, headerElement);
            RequireSettingsFit(path, header.Config, tensors.Values.Sum(t => t.numel()));
            var network = new AutoencoderNetwork(header.Config, seed: 0);
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in network.OrderedParameters)
            {
                if (!tensors.TryGetValue($"param/{name}", out var t) || !t.shape.SequenceEqual(parameter.shape))
                    throw new CheckpointFormatException(path, $"tensor 'param/{name}' is missing or has the wrong shape.");
                parameter.copy_(t);
            }
            if (header.Config.ItemNeighbours > 0) network.SetNeighbourTargets(ReadNeighbourTargets(path, tensors, header.Config));
            return new LoadedModel(network, header.ItemIds, header.Summary);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>The checked header of a model file: its format, settings, item index and summary.</summary>
    internal static ModelHeader ReadHeader(string path, JsonElement headerElement)
    {
        var header = TensorFile.ReadHeaderAs<ModelHeader>(path, headerElement);
        if (header.Format != Format)
            throw CheckpointFormatException.WrongKind(path, header.Format, "model file");
        if (header.Config is null || header.ItemIds is null || header.Summary is null || header.Config.HiddenDims is null || header.ItemIds.Any(id => id is null))
            throw new CheckpointFormatException(path, "the header lacks the model settings, item index or summary.");
        if (header.ItemIds.Length != header.Config.ItemCount)
            throw new CheckpointFormatException(path, "item index and model width differ.");
        HeaderItemIds.RequireDistinct(path, header.ItemIds);
        return header;
    }

    /// <summary>The tensor that holds the item-item term's targets (as float32; exact below 2^24).</summary>
    private const string NeighbourTargetsName = "buffer/neighbours.targets";

    private static long[] ReadNeighbourTargets(string path, IReadOnlyDictionary<string, Tensor> tensors, AutoencoderConfig config)
    {
        if (!tensors.TryGetValue(NeighbourTargetsName, out var stored) || !stored.shape.SequenceEqual([config.ItemCount, config.ItemNeighbours]))
            throw new CheckpointFormatException(path, $"tensor '{NeighbourTargetsName}' is missing or has the wrong shape.");
        var values = stored.data<float>().ToArray();
        var targets = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0 && v <= config.ItemCount) || v != MathF.Floor(v))
                throw new CheckpointFormatException(path, $"tensor '{NeighbourTargetsName}' holds {v} at {i}, not an item number in [0, {config.ItemCount}].");
            targets[i] = (long)v;
        }
        return targets;
    }

    /// <summary>
    /// Refuses settings that are out of range, or whose weights (at least 2 Σ dᵢ·dᵢ₊₁ over the encoder's widths) could
    /// not be in the file, before the network is built: corrupted widths must not allocate gigabytes.
    /// </summary>
    internal static void RequireSettingsFit(string path, AutoencoderConfig config, long storedElements)
    {
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(path, $"invalid model settings: {e.Message}");
        }
        var dims = config.EncoderDims;
        double weights = 0;
        for (int l = 0; l + 1 < dims.Length; l++) weights += 2.0 * dims[l] * dims[l + 1];
        if (weights > storedElements)
            throw new CheckpointFormatException(path, $"the model settings [{string.Join("-", dims)}] need at least {weights:F0} weights, the file holds {storedElements}.");
    }

    internal sealed record ModelHeader(string Format, AutoencoderConfig Config, string[] ItemIds, ModelSummary Summary);
}
