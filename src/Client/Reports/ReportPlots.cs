using VaeCfCluster.Model.Experiments;
namespace VaeCfCluster.Client.Reports;
internal static class ReportPlots
{
    public const string Figure1 = "figure1-annealing.png";
    public const string Figure3 = "figure3-activity.png";
    public const string Table2 = "table2-ndcg100.png";
    public const string Table4 = "table4-likelihoods.png";
    public static IReadOnlyList<string> Write(string folder, ExperimentResults results) => [];
}
