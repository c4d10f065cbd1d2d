namespace VaeCfCluster.Model.Data;

/// <summary>
/// Reads one rating file format into a <see cref="RatingTable"/>. Implementations stream the file (nothing
/// allocated per line beyond new ids) and throw <see cref="DataFormatException"/> naming the file, the 1-based
/// line, the field and the offending text on malformed input, an empty file or a missing file.
/// </summary>
public interface IRatingReader
{
    /// <summary>Reads every rating row of <paramref name="path"/>.</summary>
    RatingTable Read(string path);
}
