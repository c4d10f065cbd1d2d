namespace VaeCfCluster.Client.Tests;

/// <summary>
/// A split folder (<c>vaecf data prepare</c>) or raw data that cannot give a sound split, or a data folder without the
/// file its format reads, is refused before training: one line naming the file (and the line and field where one is
/// at fault), exit code 2, no run folder.
/// </summary>
public sealed class SplitFolderRefusalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-split-refusals-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string OneLineRefusal(VaecfProcess.Result result) => Refusal.OneLine(result);

    /// <summary>A split folder of the planted CSV (a tenth of its users each for validation and test).</summary>
    private string Prepare(string name = "split")
    {
        var csv = PlantedCsv.Write(_folder);
        var folder = Path.Combine(_folder, name);
        var prepared = VaecfProcess.Run(_folder, "data", "prepare", "--data", csv, "--format", "csv", "--out", folder);
        Assert.True(prepared.ExitCode == 0, prepared.StandardError);
        return folder;
    }

    /// <summary>The largest uid of a split file, read as plain text.</summary>
    private static int LastUid(string split, string file) =>
        File.ReadLines(Path.Combine(split, file)).Skip(1).Max(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));

    private VaecfProcess.Result TrainOn(string split, string output) =>
        VaecfProcess.Run(_folder, "train", "--split", split, "--single-process", "--epochs", "1", "--batch-size", "64",
            "--hidden", "16", "--latent", "4", "--out", output);

    [Fact]
    public void SplitFolderWithATrainingUserInValidation_RefusedAtThatRow()
    {
        var split = Prepare();
        var validation = Path.Combine(split, "validation_tr.csv");
        File.AppendAllText(validation, "5,7\n");
        int line = File.ReadAllLines(validation).Length;
        var output = Path.Combine(_folder, "run");

        var error = OneLineRefusal(TrainOn(split, output));

        Assert.Equal($"error: {validation}:{line}: field 'uid': uid 5 is a training user (train.csv holds uids 0..{LastUid(split, "train.csv")})", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void RawDataWhoseHeldOutUsersHaveTooFewClicks_RefusedBeforeTraining_NamingTheFileAndWhatToChange()
    {
        // 40 users with one click each: a held-out user needs 5 clicks for any to be held out.
        var csv = Path.Combine(_folder, "one.csv");
        File.WriteAllLines(csv, ["u,i", .. Enumerable.Range(1, 40).Select(u => $"{u},{u % 7}")]);
        var output = Path.Combine(_folder, "run");

        foreach (var model in new[] { "vae", "recvae" })
        {
            var error = OneLineRefusal(VaecfProcess.Run(_folder, "train", "--data", csv, "--format", "csv", "--min-user-clicks", "1",
                "--single-process", "--epochs", "1", "--model", model, "--out", output));

            Assert.StartsWith($"error: {csv}: no validation user has a held-out item to score", error);
            Assert.Contains("none of these 4 has; keep only users with enough clicks (--min-user-clicks 5) or hold out more users (--heldout-users)", error);
            Assert.False(Directory.Exists(output));
        }

        var prepared = Path.Combine(_folder, "prepared");
        Assert.Contains("no validation user has a held-out item", OneLineRefusal(VaecfProcess.Run(_folder, "data", "prepare", "--data", csv,
            "--format", "csv", "--min-user-clicks", "1", "--out", prepared)));
        Assert.False(Directory.Exists(prepared));
    }

    [Fact]
    public void SplitFolderWithoutValidationHeldOutItems_RefusedBeforeTraining()
    {
        var split = Prepare();
        File.WriteAllText(Path.Combine(split, "validation_tr.csv"), "uid,sid\n");
        File.WriteAllText(Path.Combine(split, "validation_te.csv"), "uid,sid\n");
        var output = Path.Combine(_folder, "run");

        var error = OneLineRefusal(TrainOn(split, output));

        Assert.StartsWith($"error: {Path.Combine(split, "validation_te.csv")}: field 'file': no validation user has a held-out item", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void FormatFolderWithoutItsFile_NamesTheMissingFile()
    {
        var root = Path.Combine(_folder, "shared");
        Directory.CreateDirectory(Path.Combine(root, "ml-100k"));
        Directory.CreateDirectory(Path.Combine(_folder, "ml-100k"));
        Directory.CreateDirectory(Path.Combine(_folder, "mine"));
        var environment = new Dictionary<string, string> { ["VAECF_DATA_DIR"] = root };
        VaecfProcess.Result Train(string data) => VaecfProcess.Run(_folder, VaecfProcess.ProgramPath, environment,
            "train", "--data", data, "--format", "ml-100k", "--single-process", "--epochs", "1", "--out", Path.Combine(_folder, "run"));

        Assert.Equal($"error: --data: '{Path.Combine("ml-100k", "u.data")}' not found: --format ml-100k reads u.data in the folder --data names " +
                     $"(the data set of that name is {Path.Combine(root, "ml-100k")}: give that path, or drop --format).", OneLineRefusal(Train("ml-100k")));
        Assert.Equal($"error: --data: '{Path.Combine("mine", "u.data")}' not found: --format ml-100k reads u.data in the folder --data names.",
            OneLineRefusal(Train("mine")));
    }
}
