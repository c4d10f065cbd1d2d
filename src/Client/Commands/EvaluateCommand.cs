using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Checkpoints;
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
            Description = "A model file written by 'vaecf train' (model.vaecf).",
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
        command.Options.Add(batch);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var loaded = ModelFile.Load(result.GetValue(modelPath)!);
            var split = SplitLoader.Load(result, data, System.Console.Error).Split;
            if (!loaded.ItemIds.SequenceEqual(split.ItemIds))
                throw new ArgumentException($"--model: the model's item index ({loaded.ItemIds.Count} items) differs from the split's " +
                                            $"({split.ItemCount} items); evaluate on the split the model was trained on.");
            var heldOut = result.GetValue(users) == "validation" ? split.Validation : split.Test;
            var evaluation = new RankingEvaluator(RankingMetric.PaperMetrics, result.GetValue(batch))
                .Evaluate(new AutoencoderScorer(loaded.Network), heldOut);
            var stdout = System.Console.Out;
            stdout.WriteLine($"{result.GetValue(users)} users: {evaluation.EvaluatedUserCount} ({evaluation.SkippedUserCount} without held-out items skipped)");
            stdout.Write(MetricsTable.Render([(Path.GetFileName(result.GetValue(modelPath)!), evaluation)]));
            if (result.GetValue(breakdown))
            {
                stdout.WriteLine("NDCG@100 by activity quintile (fold-in clicks):");
                foreach (var group in ActivityBreakdown.ForModel(evaluation))
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  Q{group.Index + 1} [{group.MinFoldIn}-{group.MaxFoldIn}] users {group.UserCount}: {group.Mean:F4} ± {group.StandardError:F4}"));
            }
            return 0;
        }));
        return command;
    }
}
