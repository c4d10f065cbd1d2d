using System.Text.Json;
using System.Text.Json.Serialization;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Model.Tests.Experiments;

/// <summary>
/// An experiment folder's identity covers what decides a run's numbers, not which runs the grids ask for: a widened grid
/// keeps the finished runs, other settings do not; folders claimed before the grids were left out still match.
/// </summary>
public sealed class ExperimentIdentityTests
{
    private const string Sha = "ab12";

    private static string Of(ExperimentSettings settings, bool compress = false, string sha = Sha) =>
        ExperimentIdentity.Of("ml-100k", sha, 98765, settings, compress);

    /// <summary>The identity text as the command wrote it before the grids were left out: every setting.</summary>
    private static string Legacy(ExperimentSettings settings, bool compress = false) =>
        JsonSerializer.Serialize(new
        {
            data = "ml-100k",
            splitSha256 = Sha,
            splitSeed = 98765UL,
            settings,
            compressGradients = compress ? true : (bool?)null,
        }, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    private static readonly ExperimentSettings Base = new() { Epochs = 3, EaseLambdas = [200, 500], DaeWeightDecays = [0.01] };

    [Fact]
    public void Grids_BaselinesAndEvaluationBatchSize_AreNotPartOfIt()
    {
        var widened = Base with
        {
            EaseLambdas = [200, 500, 1000], DaeWeightDecays = [0.01, 0.001], WmfPositiveWeights = [2], WmfFactors = [50],
            SlimRegularization = [1], SlimMaxItems = 5, CdaeWeightDecays = [3], Baselines = ["ease"], EvaluationBatchSize = 64,
        };
        Assert.Equal(Of(Base), Of(widened));
        Assert.True(ExperimentIdentity.Same(Of(Base), Of(widened)));
    }

    [Theory]
    [InlineData("epochs")]
    [InlineData("seed")]
    [InlineData("batch")]
    [InlineData("anneal")]
    [InlineData("cdae-epochs")]
    [InlineData("negatives")]
    [InlineData("compress")]
    [InlineData("split")]
    public void WhatDecidesARunsNumbers_IsPartOfIt(string changed)
    {
        string other = changed switch
        {
            "epochs" => Of(Base with { Epochs = 4 }),
            "seed" => Of(Base with { Seed = 1 }),
            "batch" => Of(Base with { BatchSize = 100 }),
            "anneal" => Of(Base with { AnnealFraction = 0.5 }),
            "cdae-epochs" => Of(Base with { CdaeEpochs = 10 }),
            "negatives" => Of(Base with { LeaveOneOutNegatives = 50 }),
            "compress" => Of(Base, compress: true),
            _ => Of(Base, sha: "cd34"),
        };
        Assert.False(ExperimentIdentity.Same(Of(Base), other));
        Assert.False(ExperimentIdentity.Same(other, Of(Base)));
    }

    [Fact]
    public void AFolderClaimedBeforeTheGridsWereLeftOut_MatchesWhenOnlyGridsDiffer()
    {
        Assert.True(ExperimentIdentity.Same(Legacy(Base), Of(Base)));
        Assert.True(ExperimentIdentity.Same(Legacy(Base with { EaseLambdas = [50] }), Of(Base with { EaseLambdas = [50, 100] })));
        Assert.True(ExperimentIdentity.Same(Legacy(Base, compress: true), Of(Base, compress: true)));
        Assert.False(ExperimentIdentity.Same(Legacy(Base with { Epochs = 4 }), Of(Base)));
        Assert.False(ExperimentIdentity.Same(Legacy(Base, compress: true), Of(Base)));
        Assert.False(ExperimentIdentity.Same("not json", Of(Base)));
    }

    [Fact]
    public void Ledger_ClaimedWithAWiderGrid_KeepsItsFinishedRuns()
    {
        var folder = Directory.CreateTempSubdirectory("vaecf-identity-").FullName;
        try
        {
            var ledger = new RunLedger(folder);
            ledger.Claim(Legacy(Base), fresh: false);
            File.WriteAllText(Path.Combine(folder, "ease-lambda-200.json"), "{}");

            ledger.Claim(Of(Base with { EaseLambdas = [200, 500, 1000] }), fresh: false, ExperimentIdentity.Same);
            Assert.True(File.Exists(Path.Combine(folder, "ease-lambda-200.json")));
            Assert.Throws<ArgumentException>(() => ledger.Claim(Of(Base with { Epochs = 9 }), fresh: false, ExperimentIdentity.Same));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
