namespace VaeCfCluster.Model.Data;

/// <summary>
/// A data set ready to load: where its ratings are, how to read them, how to turn them into clicks, and the split
/// settings that suit it. Get one from <see cref="DataCatalog"/> or build one for any file and reader.
/// </summary>
/// <param name="Name">Short name for logs (a catalog name or the format name).</param>
/// <param name="Path">The rating file, or the folder for readers that take one (Netflix).</param>
/// <param name="Reader">Parses the file into a <see cref="RatingTable"/>.</param>
/// <param name="Preprocessing">Threshold and count filters (Section 4.1).</param>
/// <param name="Split">Strong-generalization split settings (Section 4.3).</param>
public sealed record DataSource(string Name, string Path, IRatingReader Reader, PreprocessingOptions Preprocessing, SplitOptions Split)
{
    /// <summary>The raw rows, unfiltered.</summary>
    public RatingTable ReadRatings() => Reader.Read(Path);

    /// <summary>Reads and preprocesses: the click matrix the split and the models use.</summary>
    public ClickDataSet Load() => ClickPreprocessor.Preprocess(ReadRatings(), Preprocessing);
}
