using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Support;

/// <summary>
/// A fact that needs one of the shared real data sets. It is skipped, with the reason, when the data set is
/// absent, except under CI (<c>CI=true</c>), where absence must fail the test rather than hide it.
/// </summary>
public sealed class RequiresDataSetFactAttribute : FactAttribute
{
    public RequiresDataSetFactAttribute(string dataSet)
    {
        var path = DataLocator.DataSet(dataSet);
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!Directory.Exists(path) && !underCi)
            Skip = $"Data set '{dataSet}' not found at {path} (set {DataLocator.EnvironmentVariable}).";
    }
}
