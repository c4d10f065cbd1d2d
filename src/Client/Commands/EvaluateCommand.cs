using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Client.Commands;

/// <summary><c>vaecf evaluate</c>: scores a saved model on a split's test (or validation) users.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var modelPath = new Option<string>("--model")
        {
            Description = "A model file written by 'vaecf train' (model.vaecf, or model.recvae for --model recvae).",
            Required = true,
        };
        var users = new Option<string>("--users")
        {
            Description = "Which held-out users to score: test or validation.",
            DefaultValueFactory = _ => "test",
        };
        users.AcceptOnlyFromAmong("test", "validation");
        var breakdown = new Option<bool>("--breakdown")
        {
            Description = "Also show NDCG@100 by quintile of user activity (fold-in size), as in the paper's Figure 3.",
        };
        var other = new Option<string?>("--compare-with")
        {
            Description = "A second model file (same split), or a baseline fit on the split's training users: ease:λ (for example " +
                          "ease:50) or popularity. Prints both models' NDCG@100 per activity quintile with a paired t-test per " +
                          "quintile and overall (* p<0.05, ** p<0.01, *** p<0.001), as in the paper's Figure 3.",
        };
        var batch = new Option<int>("--eval-batch-size")
        {
            Description = "Users scored at once.",
            DefaultValueFactory = _ => 1000,
        };
        var command = new Command("evaluate", "Evaluate a saved model on the held-out users of a split (Recall@20, Recall@50, NDCG@100).");
        data.AddTo(command);
        command.Options.Add(modelPath);
        command.Options.Add(users);
        command.Options.Add(breakdown);
        command.Options.Add(other);
        command.Options.Add(batch);
        var lowMemory = SavedModel.LowMemoryOption(withComparedModel: true);
        command.Options.Add(lowMemory);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            // What needs no data is checked first: a typo fails before the data is read and split.
            if (result.GetValue(batch) < 1) throw new ArgumentException($"--eval-batch-size must be at least 1 (was {result.GetValue(batch)}).");
            ModelPath.Require("--model", result.GetValue(modelPath)!);
            if (result.GetValue(other) is { } compared) ComparedModel.Check(compared);
            var split = SplitLoader.Load(result, data, System.Console.Error).Split;
            var heldOut = result.GetValue(users) == "validation" ? split.Validation : split.Test;
            var evaluator = new RankingEvaluator(RankingMetric.PaperMetrics, result.GetValue(batch));
            var evaluation = Evaluate(evaluator, "--model", result.GetValue(modelPath)!, split, heldOut, SavedModel.LowMemoryChoice(result, lowMemory));
            var stdout = System.Console.Out;
            stdout.WriteLine($"{result.GetValue(users)} users: {evaluation.EvaluatedUserCount} ({evaluation.SkippedUserCount} without held-out items skipped)");
            stdout.Write(MetricsTable.Render([(DisplayName(result.GetValue(modelPath)!), evaluation)]));
            if (result.GetValue(breakdown))
            {
                stdout.WriteLine("NDCG@100 by activity quintile (fold-in clicks):");
                foreach (var group in ActivityBreakdown.ForModel(evaluation))
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  Q{group.Index + 1} [{group.MinFoldIn}-{group.MaxFoldIn}] users {group.UserCount}: {group.Mean:F4} ± {group.StandardError:F4}"));
            }
            if (result.GetValue(other) is { } otherPath)
            {
                var baseline = ComparedModel.FitBaseline(otherPath, split.Train, System.Console.Error);
                string otherName = baseline?.Name ?? DisplayName(otherPath);
                EvaluationResult second;
                if (baseline is { } fitted)
                    using (fitted.Scorer as IDisposable) second = evaluator.Evaluate(fitted.Scorer, heldOut);
                else
                    second = Evaluate(evaluator, "--compare-with", otherPath, split, heldOut);
                stdout.Write(MetricsTable.Render([(otherName, second)]));
                var comparison = ActivityBreakdown.Compare(evaluation, second);
                stdout.WriteLine($"NDCG@100 by activity quintile, {DisplayName(result.GetValue(modelPath)!)} vs {otherName} (paired t-test):");
                foreach (var g in comparison.Groups)
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  Q{g.Index + 1} [{g.MinFoldIn}-{g.MaxFoldIn}] users {g.UserCount}: {g.First.Mean:F4} vs {g.Second.Mean:F4}, " +
                        $"{TestText(g.Test)}"));
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  all users: mean difference {comparison.Overall.MeanDifference:F4}, {TestText(comparison.Overall)}"));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A model's name for tables: its run folder when the file has the default name.</summary>
    private static string DisplayName(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.GetFileName(full) == "model.vaecf" ? Path.GetFileName(Path.GetDirectoryName(full)!) : Path.GetFileName(full);
    }

    private static string FirstDifference(IReadOnlyList<string> model, IReadOnlyList<string> split)
    {
        int column = 0;
        while (column < model.Count && column < split.Count && model[column] == split[column]) column++;
        return column < model.Count && column < split.Count ? $"; column {column} is '{model[column]}' in the model, '{split[column]}' in the split" : "";
    }

    private static EvaluationResult Evaluate(RankingEvaluator evaluator, string option, string path, DataSplit split, HeldOutUsers users,
        bool? lowMemory = null)
    {
        using var loaded = SavedModel.Load(path, lowMemory, System.Console.Error);
        if (!loaded.ItemIds.SequenceEqual(split.ItemIds))
            throw new ArgumentException($"{option} {path}: the model's item index differs from the split's ({loaded.ItemIds.Count} items in the " +
                                        $"model, {split.ItemCount} in the split{FirstDifference(loaded.ItemIds, split.ItemIds)}); " +
                                        "evaluate on the split the model was trained on.");
        // In place, many users per call: each call reads the model's item-sized layers once. A long evaluation says how
        // far it is every few seconds.
        int perCall = loaded.UsersPerCall(evaluator.BatchSize);
        var progress = new UserProgress(System.Console.Error, users.UserCount, Math.Min(perCall, users.UserCount), "evaluated");
        return new RankingEvaluator(evaluator.Metrics, perCall) { UsersDone = progress.Report }.Evaluate(loaded.Scorer, users);
    }

    /// <summary>"t 2.31, p 0.021 *"; "no difference for any user" when every user's difference is 0 (where t and p are undefined).</summary>
    private static string TestText(PairedTTestResult test) =>
        test.Count >= 2 && test.MeanDifference == 0 && test.StandardErrorOfDifference == 0 ? "no difference for any user"
            : string.Create(CultureInfo.InvariantCulture, $"t {test.T:F2}, p {test.PValue:G3} {test.Stars}").TrimEnd();
}
