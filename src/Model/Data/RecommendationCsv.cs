using System.Globalization;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// Recommendations as a CSV file: a header <c>user,item,rank</c>, then one line per recommended item, users in the
/// order given and items best first (rank 1). Ids holding a comma, a quote or a line break are quoted. The file is
/// written to a temporary file and renamed, so an interrupted run leaves no partial file.
/// </summary>
public static class RecommendationCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "user,item,rank";

    /// <summary>
    /// Writes <paramref name="recommendations"/> (rows of <paramref name="userIds"/>, item columns of
    /// <paramref name="itemIds"/>) to <paramref name="path"/>; <paramref name="afterUser"/> is told how many users are
    /// written so far. Returns the number of users and of lines below the header.
    /// </summary>
    public static (int Users, long Lines) Write(string path, IEnumerable<UserRecommendation> recommendations, IReadOnlyList<string> userIds,
        IReadOnlyList<string> itemIds, Action<int>? afterUser = null)
    {
        int users = 0;
        long lines = 0;
        AtomicFile.WriteLines(path, writer =>
        {
            writer.WriteLine(Header);
            foreach (var recommendation in recommendations)
            {
                var user = Field(userIds[recommendation.Row]);
                for (int r = 0; r < recommendation.Items.Length; r++)
                {
                    writer.Write(user);
                    writer.Write(',');
                    writer.Write(Field(itemIds[recommendation.Items[r]]));
                    writer.Write(',');
                    writer.WriteLine((r + 1).ToString(CultureInfo.InvariantCulture));
                    lines++;
                }
                afterUser?.Invoke(++users);
            }
        });
        return (users, lines);
    }

    /// <summary>An id as a CSV field: as it is, or quoted with its quotes doubled when it holds a comma, quote or line break.</summary>
    public static string Field(string id) =>
        id.AsSpan().IndexOfAny(",\"\r\n") < 0 ? id : "\"" + id.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
