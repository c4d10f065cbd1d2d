using System.Text.Json;
using System.Text.RegularExpressions;
using VaeCfCluster.Deployment.Tests.Support;

namespace VaeCfCluster.Deployment.Tests;

/// <summary>
/// The Grafana dashboard (helm/vaecf/dashboards/vaecf-training.json) queries only the silo's metric names, selects
/// the training job by <c>exported_job</c> (Prometheus renames the target's own <c>job</c> label), has the panels the
/// deployment promises, and is embedded unchanged in k8s/dashboard-configmap.yaml.
/// </summary>
public sealed class DashboardTests
{
    // The metric contract of the silo's /metrics endpoint (Prometheus names).
    private static readonly HashSet<string> s_metrics =
    [
        "vaecf_training_steps_total", "vaecf_training_users_total", "vaecf_training_users_per_second", "vaecf_training_loss",
        "vaecf_training_reconstruction_loss", "vaecf_training_kl_divergence", "vaecf_training_beta",
        "vaecf_validation_ndcg_at_100", "vaecf_validation_recall_at_20", "vaecf_validation_recall_at_50",
        "vaecf_gradient_bytes_total", "vaecf_worker_step_duration_seconds", "vaecf_parameter_server_apply_duration_seconds",
        "vaecf_evaluation_duration_seconds", "vaecf_job_state", "vaecf_model_parameters",
    ];

    private static readonly string s_json = RepositoryFiles.Read("helm/vaecf/dashboards/vaecf-training.json");

    [Fact]
    public void Queries_MetricNames_AreAllInTheSilosContract()
    {
        var names = Expressions().SelectMany(e => Regex.Matches(e, @"\bvaecf_[a-z0-9_]+").Select(m => m.Value)).ToHashSet();
        var unknown = names.Select(n => Regex.Replace(n, "_(bucket|sum|count)$", "")).Where(n => !s_metrics.Contains(n));

        Assert.NotEmpty(names);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Queries_TrainingJob_IsSelectedByExportedJob()
    {
        foreach (var expr in Expressions())
        {
            Assert.Contains("exported_job=~\"$training_job\"", expr);
            Assert.DoesNotMatch(@"[{,(]\s*job\s*[=!~)]|by \(job\b", expr);
        }
    }

    [Fact]
    public void Panels_PromisedQueries_ArePresent()
    {
        var exprs = string.Join("\n", Expressions());

        Assert.Contains("vaecf_training_loss{", exprs);
        Assert.Contains("vaecf_training_beta{", exprs);
        Assert.Contains("vaecf_validation_ndcg_at_100{", exprs);
        Assert.Contains("vaecf_training_users_per_second{", exprs);
        Assert.Contains("histogram_quantile(0.5, sum by (le, exported_job) (rate(vaecf_worker_step_duration_seconds_bucket{", exprs);
        Assert.Contains("histogram_quantile(0.95, sum by (le, exported_job) (rate(vaecf_worker_step_duration_seconds_bucket{", exprs);
        Assert.Matches(@"rate\(vaecf_gradient_bytes_total\{[^}]*\}\[\$__rate_interval\]\)\) / sum by \(exported_job\) \(rate\(vaecf_training_steps_total\{", exprs);
    }

    [Fact]
    public void ConfigMap_DashboardData_IsTheDashboardFileIndentedByFour()
    {
        var configMap = RepositoryFiles.Read("k8s/dashboard-configmap.yaml").ReplaceLineEndings("\n");
        var block = configMap[(configMap.IndexOf("vaecf-training.json: |-\n", StringComparison.Ordinal) + "vaecf-training.json: |-\n".Length)..];
        var embedded = string.Join("\n", block.TrimEnd('\n').Split('\n').Select(l => l.Length >= 4 ? l[4..] : l.Trim()));

        Assert.Equal(s_json.ReplaceLineEndings("\n").TrimEnd('\n'), embedded);
        Assert.Contains("grafana_dashboard: \"1\"", configMap);
    }

    private static List<string> Expressions()
    {
        using var doc = JsonDocument.Parse(s_json);
        return doc.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }
}
