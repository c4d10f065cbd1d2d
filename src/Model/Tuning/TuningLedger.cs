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
    private readonly string _folder;

    /// <summary>A ledger in <paramref name="folder"/> (created when missing).</summary>
    public TuningLedger(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>The finished outcome of <paramref name="run"/>, or null.</summary>
    /// <exception cref="DataFormatException">The run's file exists but is not a tuning run (names the file and line).</exception>
    public TuningOutcome? Find(TuningRun run)
    {
        var path = PathOf(run.Id);
        if (!File.Exists(path)) return null;
        try
        {
            var outcome = JsonSerializer.Deserialize<TuningOutcome>(File.ReadAllText(path), RunLedger.Json);
            if (outcome is null || outcome.Id != run.Id || outcome.Settings is null || outcome.Model is null || outcome.TestNdcg100PerUser is null
                || outcome.Test is null || outcome.Test.Values.Any(v => v is null) || !outcome.Test.ContainsKey("NDCG@100"))
                throw new DataFormatException(path, 0, "tuning run", "the run's id, settings or test metrics are missing or belong to another run; delete the file to run it again");
            return outcome;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            var json = e as JsonException;
            throw new DataFormatException(path, json?.LineNumber is { } line ? line + 1 : 0, json?.Path ?? "tuning run",
                $"not a tuning run ({e.GetType().Name}: the value does not fit the field); delete the file to run it again");
        }
    }

    /// <summary>Stores a finished outcome.</summary>
    public void Add(TuningOutcome outcome) => AtomicFile.WriteAllText(PathOf(outcome.Id), JsonSerializer.Serialize(outcome, RunLedger.Json));

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");
}
