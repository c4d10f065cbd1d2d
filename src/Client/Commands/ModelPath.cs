namespace VaeCfCluster.Client.Commands;

/// <summary>A model file named on the command line, checked before any work: missing, or a folder, is one line.</summary>
internal static class ModelPath
{
    /// <summary>Throws when <paramref name="path"/> (given as <paramref name="option"/>) is not an existing file.</summary>
    public static void Require(string option, string path)
    {
        if (Directory.Exists(path)) throw new ArgumentException($"{option}: '{path}' is a folder, not a model file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{option}: {path}: file not found.");
    }
}
