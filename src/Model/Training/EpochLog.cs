using System.Text.Json;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// A run's <c>training.jsonl</c>: one JSON object per trained epoch. <see cref="Append"/> adds the epoch just trained;
/// <see cref="Write"/> replaces the file with a whole history (at the end of a run, or on resume from a checkpoint),
/// through a temporary file, so a reader never sees half of it.
/// </summary>
public static class EpochLog
{
    /// <summary>One epoch's line, without its line break.</summary>
    public static string Line<TRecord>(TRecord record) => JsonSerializer.Serialize(record);

    /// <summary>A whole history as the file's text, one line per epoch.</summary>
    public static string Text<TRecord>(IEnumerable<TRecord> history) =>
        string.Concat(history.Select(record => Line(record) + Environment.NewLine));

    public static void Write<TRecord>(string path, IEnumerable<TRecord> history) =>
        AtomicFile.WriteLines(path, writer => { foreach (var record in history) writer.WriteLine(Line(record)); });

    public static void Append<TRecord>(string path, TRecord record)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, Line(record) + Environment.NewLine);
    }
}
