using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// A model file as <c>evaluate</c> and <c>recommend</c> use it: a Mult-VAE / Mult-DAE <c>model.vaecf</c> or a RecVAE
/// <c>model.recvae</c> (told apart by the header's format), as a scorer with its item index.
/// </summary>
internal sealed record SavedModel(IRecommenderScorer Scorer, IReadOnlyList<string> ItemIds, IDisposable Owner) : IDisposable
{
    /// <summary>Loads <paramref name="path"/>, refusing corrupted files and files of another kind.</summary>
    public static SavedModel Load(string path)
    {
        if (TensorFile.PeekFormat(path) == RecVaeModelFile.Format)
        {
            var (network, itemIds) = RecVaeModelFile.Load(path);
            return new SavedModel(network, itemIds, network);
        }
        var loaded = ModelFile.Load(path);
        return new SavedModel(new AutoencoderScorer(loaded.Network), loaded.ItemIds, loaded.Network);
    }

    /// <inheritdoc />
    public void Dispose() => Owner.Dispose();
}
