using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.RecVae;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// A model file named on the command line, checked before any work: missing, a folder, not a model file by its header
/// (bad magic bytes, a header cut short, a training checkpoint) is one line. The whole file is still checked (its
/// checksum) when it is loaded.
/// </summary>
internal static class ModelPath
{
    /// <summary>Throws when <paramref name="path"/> (given as <paramref name="option"/>) is not a model file.</summary>
    public static void Require(string option, string path)
    {
        if (Directory.Exists(path)) throw new ArgumentException($"{option}: '{path}' is a folder, not a model file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{option}: {path}: file not found.");
        try
        {
            var format = TensorFile.PeekFormat(path);
            if (format is not (ModelFile.Format or RecVaeModelFile.Format)) throw CheckpointFormatException.WrongKind(path, format, "model file");
        }
        catch (CheckpointFormatException e)
        {
            throw new ArgumentException($"{option}: {e.Message}");
        }
    }
}
