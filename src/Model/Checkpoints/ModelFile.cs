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
    private const string Format = "vaecf-model/1";

    /// <summary>Writes the model atomically.</summary>
    public static void Save(string path, AutoencoderNetwork network, IReadOnlyList<string> itemIds, ModelSummary summary)
    {
        var header = new ModelHeader(Format, network.Config, itemIds.ToArray(), summary);
        var tensors = network.OrderedParameters.Select(p => ($"param/{p.Name}", (Tensor)p.Tensor)).ToList();
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header), tensors);
    }

    /// <summary>Loads a model, refusing corrupted files and files of another kind.</summary>
    public static LoadedModel Load(string path)
    {
        var (headerElement, tensors) = TensorFile.Read(path);
        try
        {
            var header = headerElement.Deserialize<ModelHeader>() ?? throw new CheckpointFormatException(path, "missing header.");
            if (header.Format != Format)
                throw new CheckpointFormatException(path, $"is a '{header.Format}' file, not a model file.");
            if (header.ItemIds.Length != header.Config.ItemCount)
                throw new CheckpointFormatException(path, "item index and model width differ.");
            var network = new AutoencoderNetwork(header.Config, seed: 0);
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in network.OrderedParameters)
            {
                if (!tensors.TryGetValue($"param/{name}", out var t) || !t.shape.SequenceEqual(parameter.shape))
                    throw new CheckpointFormatException(path, $"tensor 'param/{name}' is missing or has the wrong shape.");
                parameter.copy_(t);
            }
            return new LoadedModel(network, header.ItemIds, header.Summary);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private sealed record ModelHeader(string Format, AutoencoderConfig Config, string[] ItemIds, ModelSummary Summary);
}
