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
            var header = TensorFile.ReadHeaderAs<Header>(path, json);
            if (header.Format != Format) throw new CheckpointFormatException(path, $"is a '{header.Format}' file, not a RecVAE model file.");
            if (header.Options is null || header.ItemIds is null || header.ItemIds.Length == 0 || header.ItemIds.Any(id => id is null))
                throw new CheckpointFormatException(path, "the header lacks the RecVAE settings or the item index.");
            try
            {
                header.Options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CheckpointFormatException(path, $"invalid RecVAE settings: {e.Message}");
            }
            // Settings whose network is not exactly the weights in the file are refused before anything is allocated.
            long stored = tensors.Values.Sum(t => t.numel());
            double needed = header.Options.ParameterCount(header.ItemIds.Length);
            if (needed != stored)
                throw new CheckpointFormatException(path, $"the settings need {needed:F0} weights, the file holds {stored}.");
            var network = new RecVaeNetwork(header.ItemIds.Length, header.Options, header.Options.Seed);
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

    private sealed record Header(string Format, RecVaeOptions Options, string[] ItemIds, int BestEpoch, double BestValidationNdcg100);
}
