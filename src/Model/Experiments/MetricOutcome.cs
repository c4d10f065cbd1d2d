namespace VaeCfCluster.Model.Experiments;

/// <summary>One test metric of a run: its mean over the evaluated users and the standard error of that mean.</summary>
public sealed record MetricOutcome(string Name, double Mean, double StandardError);
