using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Baselines;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf baseline</c>: fits a baseline on the training users, picks its hyperparameters by validation NDCG@100
/// over the given grid (Section 4.4), and reports the chosen setting's test metrics.
/// </summary>
internal static class BaselineCommand
{
    private static readonly RankingMetric Selection = RankingMetric.Ndcg(100);

    public static Command Create()
    {
        var data = new DataOptions();
        var name = new Option<string>("--name") { Description = "popularity, ease, wmf, slim or cdae.", Required = true };
        name.AcceptOnlyFromAmong("popularity", "ease", "wmf", "slim", "cdae");
        var tune = new Option<bool>("--tune")
        {
            Description = "Search the paper's grids on validation NDCG@100: WMF c1 in {2,5,10,30,50,100} x K in {100,200}; " +
                          "SLIM l1, l2 in {0.1,0.5,1,5}; CDAE weight decay in {0.01,0.1,1,10,100}; EASE lambda in " +
                          "{50,100,200,500,1000,2000,5000}. Lists given below override.",
        };
        var easeLambda = new Option<string?>("--ease-lambda") { Description = "EASE L2 weight(s), comma-separated. Default 500." };
        var wmfWeight = new Option<string?>("--wmf-c1") { Description = "WMF confidence(s) on clicks. Default 10." };
        var wmfFactors = new Option<string?>("--wmf-factors") { Description = "WMF latent dimension(s) K. Default 100." };
        var wmfLambda = new Option<string?>("--wmf-lambda") { Description = "WMF L2 weight(s). Default 10." };
        var slimL1 = new Option<string?>("--slim-l1") { Description = "SLIM L1 weight(s). Default 1." };
        var slimL2 = new Option<string?>("--slim-l2") { Description = "SLIM L2 weight(s). Default 1." };
        var cdaeDecay = new Option<string?>("--cdae-weight-decay") { Description = "CDAE weight decay(s). Default 0.01." };
        var cdaeEpochs = new Option<int>("--cdae-epochs") { Description = "CDAE training epochs.", DefaultValueFactory = _ => 50 };
        var threads = new Option<int>("--threads") { Description = "LibTorch threads; 0 uses one per core.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Folder for metrics.json. Default: runs/<data>-<name>." };
        var command = new Command("baseline", "Fit and evaluate a baseline on the same split and metrics as the autoencoders.");
        data.AddTo(command);
        foreach (var o in new Option[] { name, tune, easeLambda, wmfWeight, wmfFactors, wmfLambda, slimL1, slimL2, cdaeDecay, cdaeEpochs, threads, output })
            command.Options.Add(o);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            int t = result.GetValue(threads);
            if (t < 0) throw new ArgumentException("--threads must be 0 or positive.");
            if (t > 0) TorchSharp.torch.set_num_threads(t);
            OutputFolder.RequireFolder(result.GetValue(output));
            bool grid = result.GetValue(tune);
            var kind = result.GetValue(name)!;
            // Another baseline's options would be silently ignored: refused, naming the baseline they belong to.
            foreach (var (option, owner) in new (Option Option, string Owner)[] { (easeLambda, "ease"), (wmfWeight, "wmf"), (wmfFactors, "wmf"),
                         (wmfLambda, "wmf"), (slimL1, "slim"), (slimL2, "slim"), (cdaeDecay, "cdae"), (cdaeEpochs, "cdae") })
                if (owner != kind && result.GetResult(option) is { Implicit: false })
                    throw new ArgumentException($"{option.Name} is {owner.ToUpperInvariant()}'s; it does not apply to --name {kind}.");
            var candidates = kind switch
            {
                "popularity" => [("popularity", (Func<ClickMatrix, IRecommenderScorer>)(train => PopularityScorer.Fit(train)))],
                "ease" => ValueList.Doubles("--ease-lambda", result.GetValue(easeLambda), grid ? [50, 100, 200, 500, 1000, 2000, 5000] : [500])
                    .Select(l => l > 0 ? l : throw new ArgumentException("--ease-lambda: EASE's λ must be positive (0 leaves its Gram matrix unregularised)."))
                    .Select(l => ($"lambda={l}", Fit(train => EaseScorer.Fit(train, new EaseOptions { Lambda = l }, Log)))).ToList(),
                "wmf" => (from c in ValueList.Doubles("--wmf-c1", result.GetValue(wmfWeight), grid ? [2, 5, 10, 30, 50, 100] : [10])
                          from k in ValueList.Integers("--wmf-factors", result.GetValue(wmfFactors), grid ? [100, 200] : [100])
                          from l in ValueList.Doubles("--wmf-lambda", result.GetValue(wmfLambda), [10])
                          select ($"c1={c} K={k} lambda={l}",
                              Fit(train => WmfScorer.Fit(train, new WmfOptions { PositiveWeight = c, Factors = k, Lambda = l }, Log)))).ToList(),
                "cdae" => ValueList.Doubles("--cdae-weight-decay", result.GetValue(cdaeDecay), grid ? [0.01, 0.1, 1, 10, 100] : [0.01])
                    .Select(d => ($"weight-decay={d}", Fit(train => CdaeScorer.Fit(train,
                        new CdaeOptions { WeightDecay = d, Epochs = result.GetValue(cdaeEpochs) }, Log)))).ToList(),
                _ => (from l1 in ValueList.Doubles("--slim-l1", result.GetValue(slimL1), grid ? [0.1, 0.5, 1, 5] : [1])
                      from l2 in ValueList.Doubles("--slim-l2", result.GetValue(slimL2), grid ? [0.1, 0.5, 1, 5] : [1])
                      select ($"l1={l1} l2={l2}", Fit(train => SlimScorer.Fit(train, new SlimOptions { L1 = l1, L2 = l2 }, Log)))).ToList(),
            };
            // The grid's values are checked above, before the data is read and split.
            var loaded = SplitLoader.Load(result, data, System.Console.Error);
            return Run(loaded, kind, candidates, result.GetValue(output));
        }));
        return command;
    }

    /// <summary>Types a fitting lambda so candidate lists of different baselines share one element type.</summary>
    private static Func<ClickMatrix, IRecommenderScorer> Fit(Func<ClickMatrix, IRecommenderScorer> fit) => fit;

    private static void Log(string message) => System.Console.Error.WriteLine($"  {message}");

    private static int Run(LoadedData loaded, string kind, IReadOnlyList<(string Setting, Func<ClickMatrix, IRecommenderScorer> Fit)> candidates, string? output)
    {
        var split = loaded.Split;
        var evaluator = new RankingEvaluator(RankingMetric.PaperMetrics, 1000);
        var stderr = System.Console.Error;
        IRecommenderScorer? best = null;
        string bestSetting = "";
        double bestValidation = double.NegativeInfinity, fitSeconds = 0;
        var searched = new List<object>();
        foreach (var (setting, fit) in candidates)
        {
            var clock = Stopwatch.StartNew();
            var scorer = fit(split.Train);
            double seconds = clock.Elapsed.TotalSeconds;
            double validation = evaluator.Evaluate(scorer, split.Validation)[Selection].Mean;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} {setting}: validation NDCG@100 {validation:F4} (fit {seconds:F1} s)"));
            searched.Add(new { setting, validationNdcg100 = validation, fitSeconds = seconds });
            if (validation > bestValidation)
            {
                (best as IDisposable)?.Dispose();
                (best, bestSetting, bestValidation, fitSeconds) = (scorer, setting, validation, seconds);
            }
            else
            {
                (scorer as IDisposable)?.Dispose();
            }
        }
        var test = evaluator.Evaluate(best!, split.Test);
        (best as IDisposable)?.Dispose();
        var stdout = System.Console.Out;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chosen: {kind}{(bestSetting == kind ? "" : " " + bestSetting)} (validation NDCG@100 {bestValidation:F4}, fit {fitSeconds:F1} s)"));
        stdout.Write(MetricsTable.Render([(kind, test)]));
        var folder = output ?? Path.Combine("runs", $"{loaded.Name}-{kind}");
        var metrics = new
        {
            data = loaded.Description, baseline = kind, chosen = bestSetting, validationNdcg100 = bestValidation, fitSeconds, searched,
            test = test.Summaries.ToDictionary(s => s.Metric.Name, s => new { mean = s.Mean, standardError = s.StandardError }),
            testUsers = test.EvaluatedUserCount,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        stdout.WriteLine($"saved {Path.Combine(folder, "metrics.json")}");
        return 0;
    }
}
