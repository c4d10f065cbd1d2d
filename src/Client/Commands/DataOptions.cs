using System.CommandLine;

namespace VaeCfCluster.Client.Commands;

/// <summary>The options every command that reads data shares: which data, how to read it, how to split it.</summary>
internal sealed class DataOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Data set: 'synthetic' (built in, the default), a known name (ml-100k, ml-1m, ml-latest-small, " +
                      "citeulike-a; found under VAECF_DATA_DIR, default ../shared/data), or a path to a ratings file or folder.",
        DefaultValueFactory = _ => "synthetic",
    };

    public Option<string?> Format { get; } = new("--format")
    {
        Description = "Reader for a path given to --data: ml-100k, ml-1m (also 10M), ml-20m (also 25M and latest), netflix, " +
                      "msd, citeulike or csv. Known names pick their own.",
    };

    public Option<string?> Split { get; } = new("--split")
    {
        Description = "A prepared split folder (from 'vaecf data prepare' or the reference code's train.csv, " +
                      "validation_tr.csv, ... layout) to use as it is instead of --data.",
    };

    public Option<int?> HeldOutUsers { get; } = new("--heldout-users")
    {
        Description = "Validation users, and as many test users (Section 4.3). Default: the paper's for its formats " +
                      "(ml-20m 10,000, netflix 40,000, msd 50,000), otherwise 10% of users.",
    };

    public Option<ulong> SplitSeed { get; } = new("--split-seed")
    {
        Description = "Seed of the user shuffle and the 80/20 fold-in/held-out split.",
        DefaultValueFactory = _ => 98765UL,
    };

    public Option<string?> Delimiter { get; } = new("--delimiter")
    {
        Description = "csv format: field separator (',' by default; 'tab' for tab-separated files).",
    };

    public Option<bool> NoHeader { get; } = new("--no-header")
    {
        Description = "csv format: the file has no header line.",
    };

    public Option<int> UserColumn { get; } = new("--user-column")
    {
        Description = "csv format: 0-based column of the user id.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> ItemColumn { get; } = new("--item-column")
    {
        Description = "csv format: 0-based column of the item id.",
        DefaultValueFactory = _ => 1,
    };

    public Option<int?> RatingColumn { get; } = new("--rating-column")
    {
        Description = "csv format: 0-based column of a rating or count; without it every row is a click.",
    };

    public Option<double?> MinRating { get; } = new("--min-rating")
    {
        Description = "Keep only rows whose rating is above this value (the paper keeps ratings > 3.5). Default: the " +
                      "format's own (3.5 for MovieLens and Netflix, none for implicit data).",
    };

    public Option<int?> MinUserClicks { get; } = new("--min-user-clicks")
    {
        Description = "Keep only users with at least this many clicks. Default: the format's own (5; MSD 20).",
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Format);
        command.Options.Add(Split);
        command.Options.Add(HeldOutUsers);
        command.Options.Add(SplitSeed);
        foreach (var o in new Option[] { Delimiter, NoHeader, UserColumn, ItemColumn, RatingColumn, MinRating, MinUserClicks })
            command.Options.Add(o);
    }
}
