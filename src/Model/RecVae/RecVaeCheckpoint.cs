using System.Text.Json;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// A RecVAE training checkpoint, written after every epoch (one checksummed file, written atomically): the weights, the
/// prior's copy of the encoder, both Adam optimizers' moments and steps, the best epoch's weights, the pass counter and
/// the history. Resuming continues exactly where an uninterrupted run would be. A checkpoint of other settings (apart
/// from the epoch count and patience, which may change) or other data is refused with the reason.
/// </summary>
public static class RecVaeCheckpoint
{
    private const string Kind = "recvae-checkpoint";

    /// <summary>The checkpoint's header.</summary>
    public sealed record Header(string Kind, string Settings, int ItemCount, string DataSha256, int Epoch, long Pass, int BestEpoch,
        double BestValidationNdcg100, List<RecVaeEpoch> History, long EncoderSteps, long DecoderSteps);

    /// <summary>The settings that decide the numbers (all but the epoch count and patience), as canonical JSON.</summary>
    public static string Settings(RecVaeOptions options) => JsonSerializer.Serialize(options with { Epochs = 1, Patience = 0 });

    /// <summary>Writes the state after <paramref name="state"/>'s epoch.</summary>
    public static void Save(string path, RecVaeOptions options, int itemCount, string dataSha256, RecVaeLoopState state, RecVaeNetwork network,
        AdamOptimizer encoderAdam, AdamOptimizer decoderAdam, IReadOnlyList<Tensor> best) =>
        Save(path, new Header("", Settings(options), itemCount, dataSha256, state.Epoch, state.Pass, state.BestEpoch, state.BestValidationNdcg100,
            [.. state.History], encoderAdam.StepCount, decoderAdam.StepCount), network, encoderAdam, decoderAdam, best);

    /// <summary>The loop's state a checkpoint's header records.</summary>
    public static RecVaeLoopState StateOf(Header header) =>
        new(header.Epoch, header.Pass, header.BestEpoch, header.BestValidationNdcg100, header.History);

    /// <summary>Writes the state after epoch <paramref name="header"/>.Epoch.</summary>
    public static void Save(string path, Header header, RecVaeNetwork network, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam,
        IReadOnlyList<Tensor> best)
    {
        var tensors = new List<(string, Tensor)>();
        tensors.AddRange(network.Parameters.Select((p, i) => ($"weights.{i}", (Tensor)p)));
        tensors.AddRange(network.PriorParameters.Select((p, i) => ($"prior.{i}", (Tensor)p)));
        tensors.AddRange(best.Select((p, i) => ($"best.{i}", p)));
        foreach (var (name, adam) in new[] { ("encoder", encoderAdam), ("decoder", decoderAdam) })
        {
            tensors.AddRange(adam.FirstMoments.Select((m, i) => ($"{name}.m.{i}", m)));
            tensors.AddRange(adam.SecondMoments.Select((v, i) => ($"{name}.v.{i}", v)));
        }
        TensorFile.Write(path, JsonSerializer.SerializeToElement(header with { Kind = Kind }), tensors);
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="network"/> and the optimizers and returns its header and the best
    /// epoch's weights (owned by the caller).
    /// </summary>
    /// <exception cref="CheckpointFormatException">Corrupted, or made with other settings or data (the message says which).</exception>
    public static (Header Header, Tensor[] Best) Restore(string path, RecVaeOptions options, int itemCount, string dataSha256,
        RecVaeNetwork network, AdamOptimizer encoderAdam, AdamOptimizer decoderAdam)
    {
        var (json, tensors) = TensorFile.Read(path);
        try
        {
            var header = TensorFile.ReadHeaderAs<Header>(path, json);
            if (header.Kind != Kind) throw new CheckpointFormatException(path, $"a '{header.Kind}' file, not a RecVAE checkpoint.");
            if (header.ItemCount != itemCount || header.DataSha256 != dataSha256)
                throw new CheckpointFormatException(path, $"made on other data ({header.ItemCount} items); use --fresh to start over.");
            if (header.Settings != Settings(options))
                throw new CheckpointFormatException(path, $"made with other RecVAE settings ({header.Settings}); use --fresh to start over.");
            if (header.History is null || header.History.Any(h => h is null) || header.Epoch < 1 || header.History.Count != header.Epoch
                || header.BestEpoch < 1 || header.BestEpoch > header.Epoch || header.Pass < 0 || header.EncoderSteps < 0 || header.DecoderSteps < 0)
                throw new CheckpointFormatException(path, "the header's epoch, pass, step counts or history are inconsistent.");
            Tensor Get(string name) => tensors.TryGetValue(name, out var t) ? t : throw new CheckpointFormatException(path, $"tensor '{name}' is missing.");
            using (no_grad())
            {
                var parameters = network.Parameters;
                for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(Get($"weights.{i}"));
                var prior = network.PriorParameters;
                for (int i = 0; i < prior.Count; i++) prior[i].copy_(Get($"prior.{i}"));
            }
            foreach (var (name, adam, steps) in new[] { ("encoder", encoderAdam, header.EncoderSteps), ("decoder", decoderAdam, header.DecoderSteps) })
                adam.Restore(steps, adam.FirstMoments.Select((_, i) => Get($"{name}.m.{i}")).ToArray(),
                    adam.SecondMoments.Select((_, i) => Get($"{name}.v.{i}")).ToArray());
            var best = network.Parameters.Select((_, i) => Get($"best.{i}").clone()).ToArray();
            return (header, best);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
