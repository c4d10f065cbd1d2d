using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Experiments;

/// <summary>One point of a baseline's grid: its run id, the setting as the report shows it, and how to fit it.</summary>
public sealed record BaselineCandidate(string Id, string Setting, Func<ClickMatrix, IRecommenderScorer> Fit);
