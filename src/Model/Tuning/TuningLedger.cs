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
            return JsonSerializer.Deserialize<TuningOutcome>(File.ReadAllText(path), RunLedger.Json)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, e.LineNumber is { } line ? line + 1 : 0, e.Path ?? "tuning run",
                $"not a tuning run ({e.Message}); delete the file to run it again");
        }
    }

    /// <summary>Stores a finished outcome.</summary>
    public void Add(TuningOutcome outcome) => AtomicFile.WriteAllText(PathOf(outcome.Id), JsonSerializer.Serialize(outcome, RunLedger.Json));

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");
}
