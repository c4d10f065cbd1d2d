using VaeCfCluster.Client.Reports;
using VaeCfCluster.Model.Tuning;

namespace VaeCfCluster.Client.Tests.Reports;

/// <summary>The tune report's verdict names the VAE-family model chosen on validation, then judges its test score.</summary>
public sealed class TuneReportTests
{
    private static TuningOutcome Outcome(string model, double validation, double test) =>
        new($"{model}-1", model, [], 1, validation, 3, new()
        {
            ["Recall@20"] = new(test, 0.01), ["Recall@50"] = new(test, 0.01), ["NDCG@100"] = new(test, 0.01),
        }, [test, test, test], 10);

    [Fact]
    public void Goal_BestModelIsChosenByValidation_NotByTheTestScoreItIsJudgedOn()
    {
        // Mult-DAE has the better test score by chance; RecVAE the better validation score: RecVAE is the choice.
        var recVae = Outcome("recvae", validation: 0.40, test: 0.39);
        var dae = Outcome("dae", validation: 0.35, test: 0.41);
        var ease = Outcome("ease", validation: 0.38, test: 0.40);
        var report = new TuneReport("planted", "recvae", [1], [recVae], recVae,
            [new("RecVAE", 1, recVae), new("Mult-DAE", 1, dae), new("EASE", 1, ease)], []);

        var summary = report.Summary();

        Assert.Contains("Best VAE-family model by validation NDCG@100: RecVAE, mean test NDCG@100 0.3900 against EASE's 0.4000", summary);
        Assert.Contains("falls short by 0.0100", summary);
    }
}
