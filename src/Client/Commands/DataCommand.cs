using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Commands;

/// <summary><c>vaecf data prepare</c> and <c>vaecf data synth</c>: write split folders other runs and tools can share.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Prepare data: read, filter and split a data set, or generate a synthetic one.");
        command.Subcommands.Add(Prepare());
        command.Subcommands.Add(Synth());
        return command;
    }

    private static Command Prepare()
    {
        var data = new DataOptions();
        var output = new Option<string>("--out")
        {
            Description = "Folder to write: train.csv, validation_tr.csv, validation_te.csv, test_tr.csv, test_te.csv, " +
                          "unique_sid.txt (the reference code's layout), unique_uid.txt and a binary cache.",
            Required = true,
        };
        var command = new Command("prepare", "Read, preprocess (Section 4.1) and split (Section 4.3) a data set, and save the split.");
        data.AddTo(command);
        command.Options.Add(output);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            OutputFolder.RequireFolder(result.GetValue(output));
            var loaded = SplitLoader.Load(result, data, System.Console.Error);
            var folder = result.GetValue(output)!;
            SplitStore.Save(loaded.Split, folder);
            System.Console.Out.WriteLine($"saved split of {loaded.Description} to {folder}");
            return 0;
        }));
        return command;
    }

    private static Command Synth()
    {
        var defaults = new SyntheticDataOptions();
        var users = new Option<int>("--users") { Description = "Number of users (ML-20M: 136677).", DefaultValueFactory = _ => 136_677 };
        var items = new Option<int>("--items") { Description = "Number of items (ML-20M: 20108).", DefaultValueFactory = _ => 20_108 };
        var clicks = new Option<double>("--clicks-per-user") { Description = "Mean clicks per user (ML-20M: about 73).", DefaultValueFactory = _ => defaults.MeanClicksPerUser };
        var seed = new Option<ulong>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => defaults.Seed };
        var heldOut = new Option<int?>("--heldout-users") { Description = "Validation users and as many test users. Default: 10% of users." };
        var splitSeed = new Option<ulong>("--split-seed") { Description = "Seed of the split.", DefaultValueFactory = _ => 98765UL };
        var output = new Option<string>("--out") { Description = "Folder to write the split to.", Required = true };
        var command = new Command("synth",
            "Generate a synthetic click data set from a planted latent-factor model with power-law item popularity, split it " +
            "and save the split. The defaults give ML-20M's shape (136,677 users, 20,108 items, about 10M clicks).");
        foreach (var o in new Option[] { users, items, clicks, seed, heldOut, splitSeed, output }) command.Options.Add(o);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = defaults with
            {
                UserCount = result.GetValue(users), ItemCount = result.GetValue(items),
                MeanClicksPerUser = result.GetValue(clicks), Seed = result.GetValue(seed),
            };
            OutputFolder.RequireFolder(result.GetValue(output));
            if (options.UserCount < 1) throw new ArgumentException($"--users must be at least 1 (was {options.UserCount}).");
            if (options.ItemCount < options.MinClicksPerUser)
                throw new ArgumentException($"--items must be at least {options.MinClicksPerUser}, the fewest clicks a user gets (was {options.ItemCount}).");
            if (!(options.MeanClicksPerUser > options.MinClicksPerUser))
                throw new ArgumentException(FormattableString.Invariant($"--clicks-per-user must exceed {options.MinClicksPerUser}, the fewest clicks a user gets (was {options.MeanClicksPerUser})."));
            options.Validate();
            var data = SyntheticDataGenerator.Generate(options);
            // Users' click counts are capped (a quarter of the items by default): a mean above the cap cannot be met.
            double mean = (double)data.ClickCount / Math.Max(1, data.UserCount);
            if (options.MeanClicksPerUser > options.EffectiveMaxClicksPerUser)
                System.Console.Error.WriteLine(FormattableString.Invariant(
                    $"note: --clicks-per-user {options.MeanClicksPerUser} is more than a user can get from {options.ItemCount} items (at most {options.EffectiveMaxClicksPerUser}); the mean is {mean:F1}"));
            var split = StrongGeneralizationSplitter.Split(data, new SplitOptions
            {
                HeldOutUserCount = result.GetValue(heldOut), Seed = result.GetValue(splitSeed),
            });
            var folder = result.GetValue(output)!;
            SplitStore.Save(split, folder);
            System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"saved {data.UserCount} users, {data.ClickCount} clicks on {split.ItemCount} of the {data.ItemCount} items (those clicked by training users) to {folder}"));
            return 0;
        }));
        return command;
    }
}
