using System.Text.Json;
using System.Text.Json.Serialization;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// The finished runs of an experiment folder, one JSON file per run under <c>folder/</c>, each written to a temporary
/// file and renamed, so an interrupted experiment resumes without redoing finished runs and never reads half a file.
/// The folder also records what the runs were made with (<see cref="Claim"/>): runs made with other settings or data
/// are never mixed into a report.
/// </summary>
public sealed class RunLedger
{
    private const string IdentityFile = "experiment-identity.json";

    /// <summary>What to do about a refused run file (ends its message).</summary>
    private const string Remedy = "delete the file to redo the run";

    /// <summary>How run files are written: indented, NaN allowed, enums by name.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder;

    /// <summary>A ledger in <paramref name="folder"/> (created when missing).</summary>
    public RunLedger(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>The ledger's folder.</summary>
    public string Folder => _folder;

    /// <summary>
    /// Binds the folder to <paramref name="identity"/> (the settings and data that decide every number). A folder
    /// holding runs of another identity is refused unless <paramref name="fresh"/>, which deletes those runs and their checkpoints.
    /// <paramref name="same"/> says whether a stored identity is this one (default: the same text).
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds runs made with other settings or data.</exception>
    public void Claim(string identity, bool fresh, Func<string, string, bool>? same = null)
    {
        var path = Path.Combine(_folder, IdentityFile);
        if (fresh)
        {
            Directory.Delete(_folder, recursive: true);
            Directory.CreateDirectory(_folder);
        }
        else if (File.Exists(path) && !(same ?? string.Equals)(File.ReadAllText(path), identity))
        {
            throw new ArgumentException(
                $"{_folder} holds runs made with other settings or data (see {path}); use another folder, or --fresh to delete them.");
        }
        AtomicFile.WriteAllText(path, identity);
    }

    /// <summary>
    /// The finished run <paramref name="id"/>, or null when it has not finished. A file that is not the whole record of
    /// that run (cut, edited, or copied from another run) is refused, never used in its place.
    /// </summary>
    /// <exception cref="DataFormatException">The run's file is not its record: names the file, the field and the problem.</exception>
    public RunOutcome? Find(string id)
    {
        var path = PathOf(id);
        if (!File.Exists(path)) return null;
        var outcome = JsonRecordFile.Read<RunOutcome>(path, Json, "run record", Remedy);
        RunRecordCheck.Require(outcome, id, path, Remedy);
        return outcome;
    }

    /// <summary>Records a finished run (atomically).</summary>
    public void Save(RunOutcome outcome) => AtomicFile.WriteAllText(PathOf(outcome.Id), JsonSerializer.Serialize(outcome, Json));

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");
}
