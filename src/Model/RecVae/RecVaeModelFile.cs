using System.Text.Json;
using VaeCfCluster.Model.Checkpoints;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// A trained RecVAE for scoring (<c>model.recvae</c>): its settings, the item index and the weights of its best epoch,
/// in one checksummed file written atomically. <c>vaecf evaluate</c> and <c>vaecf recommend</c> read it like a Mult-VAE
/// model file.
/// </summary>
public static class RecVaeModelFile
{
    /// <summary>The header's format name.</summary>
    public const string Format = "vaecf-recvae-model-1";

    /// <summary>Writes <paramref name="network"/> with its item index.</summary>
    public static void Save(string path, RecVaeNetwork network, IReadOnlyList<string> itemIds, int bestEpoch, double bestValidationNdcg100)
    {
        if (itemIds.Count != network.ItemCount) throw new ArgumentException($"{itemIds.Count} item ids for a network of {network.ItemCount} items.");
        var header = new Header(Format, network.Options, itemIds.ToArray(), bestEpoch, bestValidationNdcg100);
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header), network.Parameters.Select((p, i) => ($"param/{i}", (Tensor)p)).ToList());
    }

    /// <summary>Loads a file written by <see cref="Save"/>; the caller disposes the network.</summary>
    /// <exception cref="CheckpointFormatException">Corrupted, another kind of file, or settings that do not fit the weights.</exception>
    public static (RecVaeNetwork Network, IReadOnlyList<string> ItemIds) Load(string path)
    {
        var (json, tensors) = TensorFile.Read(path);
        try
        {
            var header = ReadHeader(path, json);
            RequireSettingsFit(path, header, tensors.Values.Sum(t => t.numel()));
            // For scoring: the composite prior's frozen encoder is not made (the file does not hold it).
            var network = new RecVaeNetwork(header.ItemIds.Length, header.Options, header.Options.Seed, device: null, withPrior: false);
            using (no_grad())
            {
                var parameters = network.Parameters;
                for (int i = 0; i < parameters.Count; i++)
                {
                    if (!tensors.TryGetValue($"param/{i}", out var t) || !t.shape.SequenceEqual(parameters[i].shape))
                    {
                        network.Dispose();
                        throw new CheckpointFormatException(path, $"tensor 'param/{i}' is missing or has the wrong shape.");
                    }
                    parameters[i].copy_(t);
                }
            }
            return (network, header.ItemIds);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>The header of a RecVAE model file, its settings validated.</summary>
    /// <exception cref="CheckpointFormatException">Another kind of file, or settings missing or out of range.</exception>
    internal static Header ReadHeader(string path, JsonElement json)
    {
        var header = TensorFile.ReadHeaderAs<Header>(path, json);
        if (header.Format != Format) throw CheckpointFormatException.WrongKind(path, header.Format, "RecVAE model file");
        if (header.Options is null || header.ItemIds is null || header.ItemIds.Length == 0 || header.ItemIds.Any(id => id is null))
            throw new CheckpointFormatException(path, "the header lacks the RecVAE settings or the item index.");
        HeaderItemIds.RequireDistinct(path, header.ItemIds);
        try
        {
            header.Options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(path, $"invalid RecVAE settings: {e.Message}");
        }
        return header;
    }

    /// <summary>Refuses settings whose network is not exactly the <paramref name="storedElements"/> weights in the file, before anything is allocated.</summary>
    internal static void RequireSettingsFit(string path, Header header, long storedElements)
    {
        double needed = header.Options.ParameterCount(header.ItemIds.Length);
        if (needed != storedElements)
            throw new CheckpointFormatException(path, $"the settings need {needed:F0} weights, the file holds {storedElements}.");
    }

    /// <summary>A RecVAE model file's header: settings, item index, best epoch and its validation NDCG@100.</summary>
    internal sealed record Header(string Format, RecVaeOptions Options, string[] ItemIds, int BestEpoch, double BestValidationNdcg100);
}
