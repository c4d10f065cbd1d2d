using System.Text.Json;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// Finished tuning runs, one JSON file per run id under a folder, each written to a temporary file and renamed: an
/// interrupted search resumes without redoing them, and a run is never read half-written.
/// </summary>
public sealed class TuningLedger
{
    /// <summary>What to do about a refused run file (ends its message).</summary>
    private const string Remedy = "delete the file to redo the run";

    private readonly string _folder;

    /// <summary>A ledger in <paramref name="folder"/> (created when missing).</summary>
    public TuningLedger(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// The finished outcome of <paramref name="run"/>, or null. A file that is not that run's whole record (cut, edited,
    /// or copied from another run) is refused, never used in its place.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="testUsers">The evaluated test users of the run's split (those with held-out clicks): the length of
    /// its per-user NDCG@100.</param>
    /// <exception cref="DataFormatException">The run's file is not its record: names the file, the field and the problem.</exception>
    public TuningOutcome? Find(TuningRun run, int testUsers)
    {
        var path = PathOf(run.Id);
        if (!File.Exists(path)) return null;
        var outcome = JsonRecordFile.Read<TuningOutcome>(path, RunLedger.Json, "tuning run", Remedy);
        TuningRecordCheck.Require(outcome, run, testUsers, path, Remedy);
        return outcome;
    }

    /// <summary>Stores a finished outcome.</summary>
    public void Add(TuningOutcome outcome) => AtomicFile.WriteAllText(PathOf(outcome.Id), JsonSerializer.Serialize(outcome, RunLedger.Json));

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");
}
