using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Sharding;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// A model file as <c>evaluate</c> and <c>recommend</c> use it: a Mult-VAE / Mult-DAE <c>model.vaecf</c> or a RecVAE
/// <c>model.recvae</c> (told apart by the header's format), as a scorer with its item index. Either can instead be
/// scored in place, its item-sized layers read from the file one item range at a time (<see cref="StreamedItemScorer"/>;
/// not a model with the item-item term): asked for with <c>--low-memory</c>, and chosen by itself when the file is more
/// than a third of the memory available (loading whole peaks at about twice the file).
/// </summary>
internal sealed record SavedModel(IRecommenderScorer Scorer, IReadOnlyList<string> ItemIds, IDisposable Owner) : IDisposable
{
    /// <summary>The <c>--low-memory</c> option of the commands that load a model.</summary>
    public static Option<bool> LowMemoryOption(bool withComparedModel = false) => new("--low-memory")
    {
        Description = "Score a model in place (Mult-VAE, Mult-DAE without the item-item term, or RecVAE): load its middle layers and read the item-sized first and output layers " +
                      "from the file one item range (about 256 MiB) at a time, so memory does not grow with the catalog. Users are then ranked " +
                      "50,000 per read of those layers (their scores formed 512 users at a time). Default: chosen by itself when the model file is more than a third of the available memory (loading whole peaks at about twice the file); " +
                      "--low-memory false always loads it whole." + (withComparedModel ? " Applies to --model (a --compare-with model is chosen by its size)." : ""),
    };

    /// <summary>
    /// Loads <paramref name="path"/>, refusing corrupted files and files of another kind. <paramref name="lowMemory"/>:
    /// true scores in place, false loads whole, null decides by the file's size against the available memory.
    /// </summary>
    public static SavedModel Load(string path, bool? lowMemory = null, TextWriter? log = null)
    {
        long bytes = new FileInfo(path).Length;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (ScoresInPlace(lowMemory, bytes, available, () => StreamedItemScorer.CanStream(path)))
        {
            var streamed = StreamedItemScorer.Open(path);
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model: {path} ({bytes / 1048576.0:N0} MiB{(lowMemory is null ? $", more than a third of the {available / 1048576.0:N0} MiB available" : "")}) " +
                $"is scored in place, its item-sized layers read in {streamed.RangeCount} item range(s) once per {StreamedItemScorer.UsersPerRead:N0} users"));
            return new SavedModel(streamed, streamed.ItemIds, streamed);
        }
        if (TensorFile.PeekFormat(path) == RecVaeModelFile.Format)
        {
            var (network, itemIds) = RecVaeModelFile.Load(path);
            return new SavedModel(network, itemIds, network);
        }
        var loaded = ModelFile.Load(path);
        return new SavedModel(new AutoencoderScorer(loaded.Network), loaded.ItemIds, loaded.Network);
    }

    /// <summary>
    /// Users to rank per call when the caller would take <paramref name="batchSize"/>: a model scored in place reads its
    /// item-sized layers once per call, so it takes at least <see cref="StreamedItemScorer.UsersPerRead"/>.
    /// </summary>
    public int UsersPerCall(int batchSize) => Scorer is StreamedItemScorer ? Math.Max(batchSize, StreamedItemScorer.UsersPerRead) : batchSize;

    /// <summary>
    /// Whether a model file of <paramref name="fileBytes"/> is scored in place: as <paramref name="lowMemory"/> says when
    /// given, otherwise when the file is more than a third of <paramref name="availableBytes"/> (loading it whole peaks at
    /// about twice the file) and the model can be (<paramref name="canStream"/>: no item-item term).
    /// </summary>
    internal static bool ScoresInPlace(bool? lowMemory, long fileBytes, long availableBytes, Func<bool> canStream) =>
        lowMemory ?? (fileBytes > availableBytes / 3 && canStream());

    /// <summary>The <c>--low-memory</c> choice: its value when given, null (decide by size) when not.</summary>
    public static bool? LowMemoryChoice(ParseResult result, Option<bool> option) =>
        result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : null;

    /// <inheritdoc />
    public void Dispose() => Owner.Dispose();
}
